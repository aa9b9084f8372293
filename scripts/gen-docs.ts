// Writes docs/rules/<id>.md for every rule and the rule table between markers in README.md.
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../src/core/config.js';
import { renderRuleDoc, renderRuleTable } from '../src/docs.js';
import { rules } from '../src/rules/index.js';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'docs/rules');
mkdirSync(dir, { recursive: true });
const ids = new Set(rules.map((r) => r.id));
for (const name of readdirSync(dir)) if (!ids.has(name.replace(/\.md$/, ''))) unlinkSync(join(dir, name));
for (const rule of rules) writeFileSync(join(dir, `${rule.id}.md`), renderRuleDoc(rule));

const readme = join(root, 'README.md');
if (existsSync(readme)) {
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- rules:start -->';
  const end = '<!-- rules:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) writeFileSync(readme, `${text.slice(0, a + start.length)}\n${renderRuleTable(rules)}\n${text.slice(b)}`);
}
// The config file's JSON Schema, generated from the same schema the validator uses (a test checks it is current).
mkdirSync(join(root, 'schema'), { recursive: true });
writeFileSync(join(root, 'schema/portcullis.schema.json'), `${JSON.stringify(configJsonSchema(rules), null, 2)}\n`);
console.log(`wrote ${rules.length} rule docs and schema/portcullis.schema.json`);
