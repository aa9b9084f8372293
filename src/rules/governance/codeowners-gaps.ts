import { CODEOWNERS_PATHS, codeownersFile, MAX_CODEOWNERS_BYTES, ownerLine, parseCodeowners, type Codeowners } from '../../analysis/codeowners.js';
import { listed } from '../../core/limits.js';
import { FIRST_LINE, REPOSITORY_ROOT, type Related, type RepositoryDoc, type Rule } from '../../core/types.js';

/** Files listed by name per folder; the folder's future files are checked through one made-up name. */
const PER_FOLDER = 50;

/** The files that change what CI runs and what the gate checks, each with how the message names it. */
function pipelineFiles(doc: RepositoryDoc): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  const folder = (dir: string, future: string, always: boolean) => {
    const inside = doc.paths.filter((p) => p.startsWith(`${dir}/`));
    if (!always && inside.length === 0) return;
    for (const path of inside.slice(0, PER_FOLDER)) out.push({ path, name: path });
    out.push({ path: `${dir}/${future}`, name: `new files in ${dir}/` });
  };
  folder('.github/workflows', 'portcullis-new-workflow.yml', true);
  folder('.github/actions', 'portcullis-new-action/action.yml', false);
  const [config, ...others] = doc.gateFiles.config;
  out.push({ path: config!, name: `${config}${doc.paths.includes(config!) ? '' : ' (the gate config, once added)'}` });
  for (const path of [...others, doc.gateFiles.baseline, 'action.yml', 'action.yaml']) if (doc.paths.includes(path)) out.push({ path, name: path });
  return out;
}

const lineSpan = (text: string, line: number) => ({ line, column: 1, endLine: line, endColumn: (text.split('\n')[line - 1] ?? '').replace(/\r$/, '').length + 1 });

export default {
  id: 'codeowners-gaps',
  title: 'Pipeline files without a code owner',
  severity: 'medium',
  area: 'governance',
  summary:
    'The repository has no CODEOWNERS file, one with lines GitHub skips, or one that gives no owner to the files that decide what CI runs and what the gate checks: ' +
    '`.github/workflows/`, `.github/actions/`, the gate config `.github/portcullis.yml` and its baseline, and `action.yml`. ' +
    'Patterns are read as GitHub does: the first of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`; the last matching line wins; a line without owners removes ownership; ' +
    '`!` negation, `[ ]` ranges, a leading `\\#` and owners other than `@user`, `@org/team` or an email are skipped by GitHub and reported here. ' +
    'Whether an owner exists and may write to the repository is not checked offline. It runs when the whole repository is scanned, not on named files.',
  rationale:
    'A pull request that edits a workflow can change what runs with the repository\'s secrets, and one that edits the gate\'s config or baseline can switch the gate off. ' +
    'With branch protection requiring code owner review, a code owner for these files means such a change cannot merge on the author\'s say alone; without one, any reviewer (or none) will do.',
  fix:
    'Add a CODEOWNERS file (`.github/CODEOWNERS`) that names a team for the pipeline, below any broader pattern, for example `/.github/ @org/maintainers` and `/action.yml @org/maintainers`, ' +
    'fix or remove the lines GitHub skips, and turn on "Require review from Code Owners" in the branch ruleset.',
  references: [
    'https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners',
    'https://github.com/ossf/scorecard/blob/main/docs/checks.md#code-review',
  ],
  examples: {
    bad: [
      { path: 'README.md', text: '# app\n', files: { '.github/workflows/ci.yml': 'on: push\n' }, reportedAt: REPOSITORY_ROOT },
      { path: '.github/CODEOWNERS', text: '* @org/devs\n/.github/workflows/ \n', files: { '.github/workflows/ci.yml': 'on: push\n' }, line: 2 },
      { path: 'CODEOWNERS', text: '*.js @org/web\n!docs/ @org/docs\n', line: 2 },
    ],
    good: [{ path: '.github/CODEOWNERS', text: '* @org/devs\n/.github/ @org/platform\n/action.yml @org/platform\n', files: { '.github/workflows/ci.yml': 'on: push\n', 'action.yml': 'name: x\n' } }],
  },
  reads: ['repository'],
  check(doc, ctx) {
    const file = codeownersFile(ctx.project);
    if (file === undefined) {
      if (CODEOWNERS_PATHS.some((p) => doc.hidden(p))) return; // excluded from the scan: it may be there
      ctx.report({
        message: `No CODEOWNERS file (${CODEOWNERS_PATHS.join(', ')}): a change to the workflows or to the gate's config can merge without review by the people who own them.`,
        at: FIRST_LINE,
        fingerprintKey: 'no CODEOWNERS',
      });
      return;
    }
    const text = ctx.project.read(file);
    if (text === undefined || text.length >= MAX_CODEOWNERS_BYTES) {
      const why = text === undefined ? 'could not be read as text (binary or too large for the gate)' : 'is 3 MB or larger, and GitHub ignores such a file';
      ctx.report({ path: file, message: `${file} ${why}, so its owners are not known: nothing is covered.`, at: FIRST_LINE });
      return;
    }
    const parsed = parseCodeowners(text);
    const problems: string[] = parsed.errors.map((e) => `line ${e.line}: ${e.message}`);
    if (parsed.truncated) problems.push(`only its first ${parsed.rules.length} rules were read, so ownership is not known`);
    const gaps = parsed.truncated ? [] : uncovered(parsed, pipelineFiles(doc));
    if (problems.length === 0 && gaps.length === 0) return;
    const removing = [...new Map(gaps.flatMap((g) => (g.by ? [[g.by.line, g.by] as const] : []))).values()];
    const parts: string[] = [];
    if (gaps.length > 0) {
      const removed = removing.length > 0 ? ` (${removing.map((r) => `line ${r.line} \`${r.pattern}\` has no owners, which removes ownership`).join('; ')})` : '';
      parts.push(`${file} gives no code owner to ${listed(gaps.map((g) => g.name))}${removed}: a change there can merge without a code owner's review.`);
    }
    if (problems.length > 0) parts.push(`GitHub cannot use ${problems.length} line(s): ${listed(problems)}.`);
    const first = parsed.errors[0]?.span ?? removing[0]?.span ?? lineSpan(text, 1);
    const related: Related[] = [...parsed.errors.map((e) => ({ span: e.span, label: 'a line GitHub skips' })), ...removing.map((r) => ({ span: r.span, label: 'removes ownership' }))]
      .filter((r) => r.span.line !== first.line)
      .slice(0, 10)
      .map((r) => ({ path: file, at: r.span, label: r.label }));
    ctx.report({ path: file, message: parts.join(' '), at: first, related });
  },
} satisfies Rule<RepositoryDoc>;

function uncovered(parsed: Codeowners, files: readonly { path: string; name: string }[]) {
  const out: { name: string; by?: { line: number; pattern: string; span: Codeowners['rules'][number]['span'] } }[] = [];
  for (const f of files) {
    const by = ownerLine(parsed, f.path);
    if (by && by.owners.length > 0) continue;
    if (!out.some((o) => o.name === f.name)) out.push({ name: f.name, ...(by ? { by } : {}) });
  }
  return out;
}
