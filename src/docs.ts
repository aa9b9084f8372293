import { stringify } from 'yaml';
import type { Advisory } from './analysis/advisories.js';
import type { PolicyAnswers } from './analysis/branch-policy.js';
import type { Example, Rule } from './core/types.js';
import type { ScanOptions } from './scan.js';
import { code, fence as fenced, link, url } from './reporters/markdown.js';

const fence = (ex: Example): string => {
  const lang = /\.ya?ml$/i.test(ex.path) ? 'yaml' : /\.json$/i.test(ex.path) ? 'json' : /\.toml$/i.test(ex.path) ? 'toml' : /docker|container/i.test(ex.path) ? 'dockerfile' : '';
  const extra = Object.keys(ex.files ?? {});
  const beside = extra.length > 0 ? ` (beside: ${extra.map((f) => code(f)).join(', ')})` : '';
  const note = ex.reportedAt === undefined ? beside : `${beside} (reported at ${ex.reportedAt === '.' ? 'the repository root' : code(ex.reportedAt)})`;
  // A control character (the NUL byte of an unchecked-file example) is shown as its Unicode picture, never written raw.
  // eslint-disable-next-line no-control-regex
  const shown = ex.text.replace(/\n+$/, '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));
  const api = ex.policy ? `\n\nwith the GitHub API answering (active ruleset rules, classic protection, bypass list):\n\n${fenced('json', JSON.stringify(ex.policy, null, 2))}` : '';
  return `${code(ex.path)}${note}:\n\n${fenced(lang, shown)}${api}`;
};

/** The rule's page in docs/rules/, generated from its metadata and examples (CI checks it is current). */
export function renderRuleDoc(rule: Rule): string {
  return [
    `# ${rule.id}`,
    '',
    `**${rule.title}**`,
    '',
    `| severity | area | reads |`,
    `| --- | --- | --- |`,
    `| ${rule.severity} | ${rule.area} | ${rule.reads.join(', ')} |`,
    '',
    rule.summary,
    '',
    blocksWhere(rule),
    '',
    '## Why it matters',
    '',
    rule.rationale,
    '',
    '## How to fix',
    '',
    rule.fix,
    '',
    '## Examples that raise it',
    '',
    ...recordsNote(rule),
    ...rule.examples.bad.map(fence).flatMap((s) => [s, '']),
    '## Examples that pass',
    '',
    ...rule.examples.good.map(fence).flatMap((s) => [s, '']),
    ...optionsSection(rule),
    '## Suppress',
    '',
    rule.reads.includes('repository')
      ? // a repository rule's finding is about the repository (or a missing file), not a line a comment could sit on
        `Fix the cause where you can. Otherwise add an \`ignore:\` entry to \`.github/portcullis.yml\` with \`rule: ${rule.id}\`, the finding's \`path:\` (\`.\` for the repository root) and a \`reason:\`, or turn the rule off (\`rules.${rule.id}.enabled: false\`). Inline comments do not apply to it.`
      : `Fix the cause where you can. Otherwise put \`# portcullis: ignore[${rule.id}] <reason>\` on the flagged line or the line above it.`,
    '',
    '## References',
    '',
    ...rule.references.map((r) => `- ${r}`),
    '',
  ].join('\n');
}

/**
 * The scan options a rule's examples run with: the rule alone, the OSV records its lookup would answer (`exampleRecords`)
 * for every example file, and the GitHub API's answers an example gives (`policy`, for review-policy). An example of a
 * repository rule is the whole repository.
 */
export function exampleOptions(rule: Rule, paths: readonly string[], example?: Example): ScanOptions {
  const policy = example?.policy ? { branchPolicy: { answers: example.policy as PolicyAnswers, notes: [] } } : {};
  if (rule.reads.includes('repository')) return { rules: [rule], repository: true, ...policy };
  if (!rule.exampleRecords) return { rules: [rule], ...policy };
  return { rules: [rule], vulnerabilities: { records: rule.exampleRecords as readonly Advisory[], hits: {}, paths }, ...policy };
}

function recordsNote(rule: Rule): string[] {
  if (!rule.exampleRecords?.length) return [];
  const ids = rule.exampleRecords.map((r) => link(r.id, url(`https://osv.dev/vulnerability/${r.id}`)));
  return [`With the OSV records ${ids.join(' and ')} as the lookup's answer:`, ''];
}

/** Which files' findings block by default (core/context.ts). */
function blocksWhere(rule: Rule): string {
  if (rule.reportsOnlyIn) return `It reports only in ${rule.reportsOnlyIn.join(' and ')} files, where its findings block by default; other files are not looked at (config \`contexts:\` reclassifies a path).`;
  const extra = rule.alsoBlocksIn ?? [];
  const where = ['production', ...extra].map((c) => `${c}`).join(' and ');
  return `By default its findings block in ${where} files; in test, example, docs${extra.includes('dev') ? '' : ', dev'} and vendored files they are reported without blocking (config \`gate-contexts\`).`;
}

/** How to set the rule's options in the config file, with their defaults (nothing for rules without options). */
function optionsSection(rule: Rule): string[] {
  if (!rule.options) return [];
  const fields = Object.entries(rule.options.schema.fields).map(([name, schema]) => `- \`${name}\`: ${schema.description ?? ''}`.trimEnd());
  const defaults = stringify({ rules: { [rule.id]: { options: rule.options.defaults } } }).trimEnd();
  return ['## Options', '', `Set in \`.github/portcullis.yml\` under \`rules.${rule.id}.options\`:`, '', ...fields, '', 'Defaults:', '', '```yaml', defaults, '```', ''];
}

/** The rule table of the README, generated from the registry. */
export function renderRuleTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| ${link(r.id, url('docs/rules', [`${r.id}.md`]), { code: true, cell: true })} | ${r.severity} | ${r.area} | ${r.title} |`);
  return ['| rule | severity | area | what it catches |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
