// Writes docs/rules/<id>.md for every rule and the rule index docs/rules/README.md.
import { mkdirSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../src/core/config.js';
import { renderRuleDoc, renderRuleTable } from '../src/docs.js';
import { rules } from '../src/rules/index.js';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'docs/rules');
mkdirSync(dir, { recursive: true });
const ids = new Set(rules.map((r) => r.id));
for (const name of readdirSync(dir)) if (name !== 'README.md' && !ids.has(name.replace(/\.md$/, ''))) unlinkSync(join(dir, name));
for (const rule of rules) writeFileSync(join(dir, `${rule.id}.md`), renderRuleDoc(rule));

// The rule index: the table links each rule's page by its file name, relative to this folder.
const index = [
  '# Rules',
  '',
  'Generated from the rule registry by `npm run docs`; each rule\'s page has its rationale, the fix, examples that',
  'raise it and examples that pass. `portcullis explain <rule-id>` prints the same page in the terminal.',
  '',
  renderRuleTable(rules).replaceAll('](docs/rules/', ']('),
  '',
].join('\n');
writeFileSync(join(dir, 'README.md'), index);
// The config file's JSON Schema, generated from the same schema the validator uses (a test checks it is current).
mkdirSync(join(root, 'schema'), { recursive: true });
writeFileSync(join(root, 'schema/portcullis.schema.json'), `${JSON.stringify(configJsonSchema(rules), null, 2)}\n`);
console.log(`wrote ${rules.length} rule docs and schema/portcullis.schema.json`);
