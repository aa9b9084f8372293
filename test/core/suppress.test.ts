import { describe, expect, it } from 'vitest';
import { applyInlineSuppressions, ineffectiveSuppressionFinding, INEFFECTIVE_SUPPRESSION, parseInlineSuppressions } from '../../src/core/suppress.js';
import type { Rule } from '../../src/core/types.js';
import { findRule, rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

/** Flags every line that contains FLAG, in any kind of file that can carry `#` comments. */
const flagRule: Rule = {
  ...findRule(INEFFECTIVE_SUPPRESSION)!,
  id: 'flag-line',
  severity: 'high',
  reads: ['dockerfile', 'yaml', 'manifest'],
  check(_doc, ctx) {
    const text = ctx.project.read(ctx.path) ?? '';
    text.split('\n').forEach((line, i) => {
      const col = line.indexOf('FLAG');
      if (col >= 0) ctx.report({ message: 'flagged', at: { line: i + 1, column: col + 1, endLine: i + 1, endColumn: col + 5 } });
    });
  },
};
const meta = findRule(INEFFECTIVE_SUPPRESSION)!;
const scan = (files: Record<string, string>, opts: { inline?: boolean } = {}) =>
  scanFiles(files, { rules: [flagRule, meta], failOn: 'high', inlineSuppressions: opts.inline ?? true });
const flagged = (r: ReturnType<typeof scan>) => r.findings.filter((f) => f.ruleId === 'flag-line');
const ineffective = (r: ReturnType<typeof scan>) => r.findings.filter((f) => f.ruleId === INEFFECTIVE_SUPPRESSION);

describe('comment forms per format', () => {
  const cases: [string, string, string][] = [
    ['Dockerfile (same line)', 'Dockerfile', 'FROM scratch\nRUN FLAG # portcullis: ignore[flag-line] vendored, reviewed\n'],
    ['Dockerfile (line above)', 'Dockerfile', 'FROM scratch\n# portcullis: ignore[flag-line] vendored, reviewed\nRUN FLAG\n'],
    ['YAML (same line)', 'k8s/app.yaml', 'a: 1\nb: FLAG # portcullis: ignore[flag-line] vendored, reviewed\n'],
    ['YAML (line above, indented)', 'k8s/app.yml', 'a:\n  # portcullis: ignore[flag-line] vendored, reviewed\n  b: FLAG\n'],
    ['workflow run script (shell comment)', '.github/workflows/ci.yml', 'on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: |\n          # portcullis: ignore[flag-line] vendored, reviewed\n          echo FLAG\n'],
    ['requirements (same line)', 'requirements.txt', 'FLAG==2.0  # portcullis: ignore[flag-line] vendored, reviewed\n'],
    ['TOML (line above)', 'pyproject.toml', '[project]\nname = "x"\n# portcullis: ignore[flag-line] vendored, reviewed\ndependencies = ["FLAG"]\n'],
  ];
  it.each(cases)('%s', (_name, path, text) => {
    const r = scan({ [path]: text });
    const f = flagged(r);
    expect(f).toHaveLength(1);
    expect(f[0]!.suppressed).toMatchObject({ kind: 'inSource', reason: 'vendored, reviewed', path });
    expect(ineffective(r)).toEqual([]);
    expect(r.summary).toMatchObject({ suppressed: 1, blocking: 0, result: 'pass' });
  });

  it('reads shell and .env comments from text the same way', () => {
    for (const text of ['export A=1 # portcullis: ignore[flag-line] ok here\n', '# portcullis: ignore[flag-line] ok here\nTOKEN=x\n']) {
      const [c] = parseInlineSuppressions(text);
      expect(c).toMatchObject({ ids: ['flag-line'], reason: 'ok here', wellFormed: true });
    }
  });

  it('a same-line comment silences its own line only; a standalone one the next code line', () => {
    const r = scan({ Dockerfile: 'FROM scratch\nRUN FLAG # portcullis: ignore[flag-line] ok\nRUN FLAG\n' });
    expect(flagged(r).map((f) => [f.line, f.suppressed?.kind])).toEqual([[2, 'inSource'], [3, undefined]]);
    const above = parseInlineSuppressions('# portcullis: ignore[a] r\n# portcullis: ignore[b] r\nRUN x\nRUN y # portcullis: ignore[c] r\n');
    expect(above.map((c) => [c.line, c.target, c.column])).toEqual([[1, 3, 1], [2, 3, 1], [4, 4, 7]]);
  });

  it('names several ids in one comment, each applied, spaces and case ignored', () => {
    const other: Rule = { ...flagRule, id: 'flag-again' };
    const r = scanFiles({ Dockerfile: 'FROM scratch\n# portcullis: ignore[ Flag-Line , flag-again ] both reviewed\nRUN FLAG\n' }, { rules: [flagRule, other, meta] });
    expect(r.findings.map((f) => [f.ruleId, f.suppressed?.reason])).toEqual([
      ['flag-again', 'both reviewed'],
      ['flag-line', 'both reviewed'],
    ]);
  });
});

describe('suppressions that do nothing', () => {
  it('without a reason it does not apply: the finding says why and the comment is reported', () => {
    const r = scan({ Dockerfile: 'FROM scratch\nRUN FLAG # portcullis: ignore[flag-line]\n' });
    const [f] = flagged(r);
    expect(f!.suppressed).toBeUndefined();
    expect(f!.message).toBe('flagged (not suppressed: the suppression comment on line 2 gives no reason)');
    expect(r.summary.blocking).toBe(1);
    const [i] = ineffective(r);
    expect(i).toMatchObject({ severity: 'low', line: 2, column: 10, endColumn: 41 });
    expect(i!.message).toMatch(/gives no reason/);
  });

  it('punctuation alone is not a reason', () => {
    const r = scan({ Dockerfile: 'FROM scratch\nRUN FLAG # portcullis: ignore[flag-line] --\n' });
    expect(flagged(r)[0]!.suppressed).toBeUndefined();
  });

  it('an unknown rule id is reported; the known ids of the same comment still apply', () => {
    const r = scan({ Dockerfile: 'FROM scratch\nRUN FLAG # portcullis: ignore[flag-lien, flag-line] typo kept\n' });
    expect(flagged(r)[0]!.suppressed?.kind).toBe('inSource');
    expect(ineffective(r).map((f) => f.message)).toEqual([expect.stringMatching(/^Unknown rule id `flag-lien`/)]);
  });

  it('a suppression that matched nothing is reported, when its rule ran', () => {
    const r = scan({ Dockerfile: 'FROM scratch\n# portcullis: ignore[flag-line] left behind\nRUN ok\n' });
    expect(ineffective(r).map((f) => [f.line, f.message])).toEqual([[2, expect.stringMatching(/matched no finding/)]]);
    // A rule that did not run (not selected) cannot be judged unused.
    const r2 = scan({ Dockerfile: 'FROM scratch\n# portcullis: ignore[unpinned-image] left behind\nRUN ok\n' });
    expect(ineffective(r2)).toEqual([]);
  });

  it('malformed and empty comments are reported', () => {
    const r = scan({ 'a.yaml': 'a: 1 # portcullis: skip this\nb: 2 # portcullis: ignore[] nothing\n' });
    expect(ineffective(r).map((f) => f.message)).toEqual([expect.stringMatching(/not understood/), expect.stringMatching(/names no rule/)]);
  });

  it('a # inside a word, a quoted string without space or a URL fragment is not a comment', () => {
    expect(parseInlineSuppressions('image: "x#portcullis: ignore[flag-line] r"\nurl: https://e.com/#portcullis:ignore[a] r\nRUN a#portcullis: x\n')).toEqual([]);
    const r = scan({ 'a.yaml': 'a: FLAG "#portcullis: ignore[flag-line] r"\n' });
    expect(flagged(r)[0]!.suppressed).toBeUndefined();
    expect(ineffective(r)).toEqual([]);
  });

  it('when inline suppressions are disabled each comment is reported and nothing is silenced', () => {
    const r = scan({ Dockerfile: 'FROM scratch\nRUN FLAG # portcullis: ignore[flag-line] vendored\n' }, { inline: false });
    expect(flagged(r)[0]!.suppressed).toBeUndefined();
    expect(r.summary.result).toBe('fail');
    expect(ineffective(r).map((f) => f.message)).toEqual([expect.stringMatching(/Inline suppressions are disabled/)]);
  });

  it('ineffective findings are only produced when that rule runs, and keep their fingerprint across line shifts', () => {
    const r = scanFiles({ Dockerfile: 'FROM scratch\n# portcullis: ignore[nope] r\n' }, { rules: [flagRule] });
    expect(r.findings).toEqual([]);
    const a = scan({ Dockerfile: 'FROM scratch\n# portcullis: ignore[nope] r\n# portcullis: ignore[nope] r\n' });
    const b = scan({ Dockerfile: '\n\nFROM scratch\n#   portcullis: ignore[nope] r\n# portcullis: ignore[nope] r\n' });
    expect(ineffective(a).map((f) => f.fingerprint)).toEqual(ineffective(b).map((f) => f.fingerprint));
    expect(new Set(ineffective(a).map((f) => f.fingerprint)).size).toBe(2);
  });

  it('the helper and the rule agree on id and severity', () => {
    const f = ineffectiveSuppressionFinding('x.yml', 3, 1, 9, 'm');
    expect([f.ruleId, f.severity]).toEqual([meta.id, meta.severity]);
    expect(rules).toContain(meta);
  });

  it('leaves a file without comments alone', () => {
    const findings = [ineffectiveSuppressionFinding('a', 1, 1, 2, 'x')];
    expect(applyInlineSuppressions('a', 'no comments', findings, { allow: true, known: new Set(), ran: new Set() })).toEqual(findings);
  });
});

describe('real rules', () => {
  it('silences a real finding in a workflow and a Dockerfile, through the full registry', () => {
    const r = scanFiles({
      Dockerfile: 'FROM node:20 # portcullis: ignore[unpinned-image] pinned by the platform mirror\nUSER node\n',
      '.github/workflows/ci.yml':
        'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      # portcullis: ignore[unpinned-action, persisted-credentials] first-party action, no push\n      - uses: actions/checkout@v4\n',
    });
    const sup = r.findings.filter((f) => f.suppressed).map((f) => f.ruleId);
    expect(sup.sort()).toEqual(['persisted-credentials', 'unpinned-action', 'unpinned-image']);
    expect(r.findings.filter((f) => f.ruleId === INEFFECTIVE_SUPPRESSION)).toEqual([]);
  });
});

describe('code scanning line hash', () => {
  it('ineffective findings carry the primaryLocationLineHash of their comment line, as engine findings do', async () => {
    const { lineHashes } = await import('../../src/core/fingerprint.js');
    const text = 'FROM scratch\nRUN x # portcullis: ignore[nope] r\n';
    const [f] = ineffective(scan({ Dockerfile: text }));
    expect(f!.lineHash).toBe(lineHashes(text)[1]);
  });
});
