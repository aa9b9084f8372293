import { describe, expect, it } from 'vitest';
import { diffModel, parsePatch, type PrFile } from '../../src/core/diff.js';
import type { Finding, Severity } from '../../src/core/types.js';
import { anchorFor, buildReview, MAX_INLINE_COMMENTS, parsePostedFingerprints, type ReviewComment } from '../../src/reporters/review.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';
import { htmlProblems, render } from './markdown-check.js';

function finding(i: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'unpinned-action', severity: 'high', confidence: 'high', message: `problem ${i}`, path: 'w.yml', line: i, column: 1, endLine: i,
    endColumn: 9, related: [], fingerprint: `fp${i}`, ...over,
  };
}

/** A patch that adds every line of `text` (a new file). */
function addedPatch(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

const suggestionOf = (c: ReviewComment): string | undefined => /\n```suggestion\n([\s\S]*?)\n```$/.exec(c.body)?.[1];

/** The file after applying a comment's suggestion, as GitHub does: lines start_line..line replaced. */
function apply(text: string, c: ReviewComment): string {
  const lines = text.split('\n');
  const start = c.start_line ?? c.line;
  lines.splice(start - 1, c.line - start + 1, ...suggestionOf(c)!.split('\n'));
  return lines.join('\n');
}

/** Every comment anchors where GitHub accepts it: RIGHT-side lines of one hunk of the patch. */
function expectAccepted(comments: ReviewComment[], files: PrFile[]): void {
  const diff = diffModel(files);
  for (const c of comments) {
    const lines = diff.get(c.path)!.lines;
    const start = c.start_line ?? c.line;
    expect(c.side).toBe('RIGHT');
    expect(start).toBeLessThanOrEqual(c.line);
    for (let l = start; l <= c.line; l++) expect(lines.hunkOf.get(l), `${c.path}:${l}`).toBe(lines.hunkOf.get(c.line));
    expect(lines.commentable.has(c.line)).toBe(true);
  }
}

function review(text: string, files: PrFile[] = [{ filename: '.github/workflows/ci.yml', status: 'added', patch: addedPatch(text) }]) {
  const path = '.github/workflows/ci.yml';
  const { findings } = scanFiles({ [path]: text });
  const plan = buildReview({ findings, files, rules, readLines: (p) => (p === path ? text.split('\n') : undefined) });
  expectAccepted(plan.comments, files);
  return { findings, plan, path };
}

describe('anchoring', () => {
  const files: PrFile[] = [
    { filename: 'w.yml', status: 'modified', patch: '@@ -1,4 +1,5 @@\n a\n+b\n c\n d\n e\n@@ -20,2 +21,3 @@\n x\n+y\n z' },
    { filename: 'big.yml', status: 'modified' },
  ];
  const diff = diffModel(files);

  it('uses the whole range when it lies in one hunk, else the first commentable line, else nothing', () => {
    expect(anchorFor(finding(2), diff.get('w.yml'))).toEqual({ line: 2 });
    expect(anchorFor(finding(1, { endLine: 4 }), diff.get('w.yml'))).toEqual({ start: 1, line: 4 });
    expect(anchorFor(finding(4, { endLine: 22 }), diff.get('w.yml'))).toEqual({ line: 4 });
    expect(anchorFor(finding(8, { endLine: 22 }), diff.get('w.yml'))).toEqual({ line: 21 });
    expect(anchorFor(finding(10), diff.get('w.yml'))).toBeUndefined();
    expect(anchorFor(finding(1), diff.get('big.yml'))).toBeUndefined();
    expect(anchorFor(finding(1), diff.get('other.yml'))).toBeUndefined();
    // A span ending at column 1 of the next line covers only its own line.
    expect(anchorFor(finding(2, { endLine: 3, endColumn: 1 }), diff.get('w.yml'))).toEqual({ line: 2 });
  });

  it('sends findings it cannot anchor to the sticky comment', () => {
    const fs = [finding(2), finding(10), finding(1, { path: 'big.yml' }), finding(3, { path: 'other.yml' })];
    const plan = buildReview({ findings: fs, files });
    expect(plan.comments.map((c) => [c.path, c.line])).toEqual([['w.yml', 2]]);
    expect(plan.leftover.map((f) => f.fingerprint).sort()).toEqual(['fp1', 'fp10', 'fp3']);
    expectAccepted(plan.comments, files);
  });
});

describe('limits and dedupe', () => {
  const text = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join('\n');
  const files: PrFile[] = [{ filename: 'w.yml', status: 'added', patch: addedPatch(text) }];
  const sev: Severity[] = ['low', 'critical', 'medium', 'high'];
  const fs = Array.from({ length: 40 }, (_, i) => finding(i + 1, { severity: sev[i % 4]! }));

  it(`posts at most ${MAX_INLINE_COMMENTS} comments, the most severe first; the rest are left for the sticky comment`, () => {
    const plan = buildReview({ findings: fs, files });
    expect(plan.comments).toHaveLength(30);
    expect(plan.leftover).toHaveLength(10);
    expect(plan.inline.slice(0, 10).every((f) => f.severity === 'critical')).toBe(true);
    expect(plan.leftover.every((f) => f.severity === 'low')).toBe(true);
    expect(plan.body).toContain('30 new findings on lines this pull request changes; 10 more in the Portcullis comment');
    expect(buildReview({ findings: fs, files, max: 5 }).comments).toHaveLength(5);
  });

  it('skips suppressed findings and never posts a fingerprint twice', () => {
    const plan = buildReview({ findings: [...fs.slice(0, 3), { ...fs[0]!, line: 50 }, finding(5, { suppressed: { kind: 'baseline', reason: 'x' } })], files });
    expect(plan.comments).toHaveLength(3);
    const first = buildReview({ findings: fs, files });
    const posted = parsePostedFingerprints([...first.comments.map((c) => c.body), null, 'unrelated <!-- portcullis:fp:zz --> text']);
    expect(posted.size).toBe(31);
    const second = buildReview({ findings: fs, files, posted });
    expect(second.comments.map((c) => c.body)).toEqual(first.leftover.map((f) => expect.stringContaining(`<!-- portcullis:fp:${f.fingerprint} -->`)));
    expect(second.alreadyPosted).toHaveLength(30);
  });
});

describe('comment bodies', () => {
  it('carry the hidden fingerprint, severity, rule, title and message (no generic fix: the message ends with the specific one), and render safely', () => {
    const f = finding(2, { ruleId: 'template-injection', severity: 'critical', message: 'bad <script>alert(1)</script> | `x` </details>\nnext', fingerprint: 'abc-->def' });
    const plan = buildReview({ findings: [f], files: [{ filename: 'w.yml', status: 'added', patch: addedPatch('a\nb\nc') }], rules, docsBaseUrl: 'https://d.example/rules' });
    const body = plan.comments[0]!.body;
    expect(body.startsWith('<!-- portcullis:fp:abcdef -->\n')).toBe(true);
    expect(body).toContain('⛔ critical · [`template-injection`](https://d.example/rules/template-injection.md) · Expression expanded into a script');
    expect(body).toContain('bad &lt;script&gt;');
    expect(body).not.toContain('Fix');
    const html = render(body);
    expect(htmlProblems(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<\/details>/);
    expect(htmlProblems(render(plan.body))).toEqual([]);
  });
});

describe('suggestions', () => {
  it('persisted-credentials: adds `with: persist-credentials: false` under a checkout without `with:`', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n' +
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n' +
      '      - name: Second\n        uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n        if: always()\n' +
      '      - {uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683}\n';
    const { plan, findings, path } = review(text);
    const persisted = plan.comments.filter((c) => c.body.includes('persisted-credentials'));
    expect(persisted).toHaveLength(3);
    const [one, two, flow] = persisted.sort((a, b) => a.line - b.line);
    expect([one!.start_line, one!.line]).toEqual([undefined, 7]);
    expect(suggestionOf(one!)).toBe('      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false');
    expect([two!.start_line, two!.line]).toEqual([8, 9]);
    expect(suggestionOf(two!)).toBe('      - name: Second\n        uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n        with:\n          persist-credentials: false');
    expect(suggestionOf(flow!)).toBeUndefined();
    // Applying a suggestion removes exactly that finding.
    const before = findings.filter((f) => f.ruleId === 'persisted-credentials').length;
    for (const c of [one!, two!]) {
      const after = scanFiles({ [path]: apply(text, c) }).findings.filter((f) => f.ruleId === 'persisted-credentials');
      expect(after).toHaveLength(before - 1);
    }
    expect(render(one!.body)).toContain('<pre><code class="language-suggestion">');
  });

  it('template-injection: moves the expression into `env:` (block script, new env key)', () => {
    const text =
      'on: pull_request_target\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n' +
      '      - run: |\n          echo "Title: ${{ github.event.pull_request.title }}"\n          echo \'${{ github.event.pull_request.title }}\' > t.txt\n\n' +
      '      - run: make\n';
    const { plan, path, findings } = review(text);
    // Both occurrences are fixed by the same change: one comment holds both findings and the one suggestion.
    const inj = plan.comments.filter((c) => c.body.includes('template-injection'));
    expect(inj).toHaveLength(1);
    const c = inj[0]!;
    expect(parsePostedFingerprints([c.body])).toEqual(new Set(findings.filter((f) => f.ruleId === 'template-injection').map((f) => f.fingerprint)));
    expect(c.body).toContain('2 findings on this step, one suggestion fixes them all');
    expect([c.start_line, c.line]).toEqual([8, 9]);
    expect(suggestionOf(c)).toBe(
      '          echo "Title: ${PULL_REQUEST_TITLE}"\n          echo "$PULL_REQUEST_TITLE" > t.txt\n        env:\n          PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}',
    );
    expect(scanFiles({ [path]: apply(text, c) }).findings.filter((f) => f.ruleId === 'template-injection')).toEqual([]);
  });

  it('template-injection: plain one-line script, appended to an existing env block; reuses an env entry with the same value', () => {
    const text =
      'on: issues\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n' +
      '      - run: echo ${{ github.event.issue.title }}\n        env:\n          FOO: bar\n' +
      '      - run: echo ${{ github.event.issue.body }}\n        env:\n          BODY: ${{ github.event.issue.body }}\n';
    const { plan, path } = review(text);
    const inj = plan.comments.filter((c) => c.body.includes('template-injection')).sort((a, b) => a.line - b.line);
    expect(inj.map((c) => [c.start_line, c.line, suggestionOf(c)])).toEqual([
      [7, 9, '      - run: echo "$ISSUE_TITLE"\n        env:\n          FOO: bar\n          ISSUE_TITLE: ${{ github.event.issue.title }}'],
      [undefined, 10, '      - run: echo "$BODY"'],
    ]);
    for (const c of inj) {
      const left = scanFiles({ [path]: apply(text, c) }).findings.filter((f) => f.ruleId === 'template-injection');
      expect(left).toHaveLength(1);
    }
  });

  it('gives no suggestion when the lines it would replace are not all in the diff, and none for unpinned-action', () => {
    const text =
      'on: pull_request_target\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n' +
      '      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n' +
      '      - run: |\n          echo "${{ github.event.pull_request.title }}"\n          echo done\n';
    // The PR changed only the echo line: the env: entry would go after line 12, outside the hunk.
    const files: PrFile[] = [{ filename: '.github/workflows/ci.yml', status: 'modified', patch: '@@ -10,2 +10,2 @@\n       - run: |\n-          echo hi\n+          echo "${{ github.event.pull_request.title }}"' }];
    expect([...parsePatch(files[0]!.patch!).commentable]).toEqual([10, 11]);
    const { plan } = review(text, files);
    expect(plan.comments).toHaveLength(1);
    expect(plan.comments[0]!.line).toBe(11);
    expect(suggestionOf(plan.comments[0]!)).toBeUndefined();
    const all = review(text).plan.comments;
    const unpinned = all.filter((c) => c.body.includes('unpinned-action'));
    expect(unpinned).toHaveLength(1);
    expect(suggestionOf(unpinned[0]!)).toBeUndefined();
  });

  it('gives no suggestion without the file text, or for CRLF files', () => {
    const text = 'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n';
    const path = '.github/workflows/ci.yml';
    const { findings } = scanFiles({ [path]: text });
    const files = [{ filename: path, status: 'added', patch: addedPatch(text) }];
    for (const readLines of [undefined, () => text.split('\n').map((l) => `${l}\r`)]) {
      const plan = buildReview({ findings, files, rules, readLines });
      expect(plan.comments.length).toBeGreaterThan(0);
      expect(plan.comments.every((c) => suggestionOf(c) === undefined)).toBe(true);
    }
  });
});

/** Applies every suggestion at once, as GitHub's batch does: each replaces its own lines (bottom first, so line numbers hold). */
function applyAll(text: string, comments: readonly ReviewComment[]): string {
  return [...comments].filter((c) => suggestionOf(c) !== undefined).sort((a, b) => b.line - a.line).reduce(apply, text);
}

/** True when two comments' suggestions replace a common line. */
function overlapping(comments: readonly ReviewComment[]): [number, number][] {
  const ranges = comments.filter((c) => suggestionOf(c) !== undefined).map((c) => [c.start_line ?? c.line, c.line] as [number, number]);
  return ranges.filter((r, i) => ranges.some((q, j) => j !== i && r[0] <= q[1] && q[0] <= r[1]));
}

describe('merged suggestions', () => {
  const head = 'on: pull_request_target\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n';

  it('two expressions on one step (lines 8–9 and line 9): ONE comment, one suggestion, one `env:` with both variables', () => {
    const text =
      head +
      '      - name: Announce\n        run: |\n          echo "Building: ${{ github.event.pull_request.title }}"\n          echo "B=${{ github.head_ref }}" >> "$GITHUB_ENV"\n' +
      '      - run: make\n';
    const { plan, findings, path } = review(text);
    const inj = findings.filter((f) => f.ruleId === 'template-injection');
    expect(inj.map((f) => f.line)).toEqual([9, 10]);
    const withSuggestion = plan.comments.filter((c) => suggestionOf(c) !== undefined);
    expect(withSuggestion).toHaveLength(1);
    const c = withSuggestion[0]!;
    expect(parsePostedFingerprints([c.body])).toEqual(new Set(inj.map((f) => f.fingerprint)));
    expect([c.start_line, c.line]).toEqual([9, 10]);
    expect(suggestionOf(c)).toBe(
      '          echo "Building: ${PULL_REQUEST_TITLE}"\n          echo "B=${HEAD_REF}" >> "$GITHUB_ENV"\n        env:\n' +
        '          PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}\n          HEAD_REF: ${{ github.head_ref }}',
    );
    // The two findings are one inline comment: no other comment repeats them.
    expect(plan.comments.filter((x) => x.body.includes('template-injection'))).toEqual([c]);
    expect(plan.inline.filter((f) => f.ruleId === 'template-injection')).toHaveLength(2);
    const after = scanFiles({ [path]: applyAll(text, plan.comments) });
    expect(after.notices).toEqual([]);
    expect(after.findings.filter((f) => f.ruleId === 'template-injection' || f.ruleId === 'unchecked-file')).toEqual([]);
  });

  it('appends every new variable to the step\'s own `env:` block, and reuses one that already holds an expression', () => {
    const text =
      head +
      '      - run: |\n          echo "${{ github.event.pull_request.title }}"\n          echo "${{ github.event.pull_request.body }}" "${{ github.head_ref }}"\n' +
      '        env:\n          REF: ${{ github.head_ref }}\n';
    const { plan, path } = review(text);
    const s = plan.comments.filter((c) => suggestionOf(c) !== undefined);
    expect(s).toHaveLength(1);
    expect(suggestionOf(s[0]!)).toBe(
      '          echo "${PULL_REQUEST_TITLE}"\n          echo "${PULL_REQUEST_BODY}" "${REF}"\n        env:\n          REF: ${{ github.head_ref }}\n' +
        '          PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}\n          PULL_REQUEST_BODY: ${{ github.event.pull_request.body }}',
    );
    const after = scanFiles({ [path]: applyAll(text, plan.comments) });
    expect(after.findings.filter((f) => f.ruleId === 'template-injection')).toEqual([]);
  });

  it('persisted-credentials on a checkout that has `with:`: appended to it, aligned with its keys', () => {
    const text = head + '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          fetch-depth: 0\n      - run: make\n';
    const { plan, path } = review(text);
    const c = plan.comments.find((x) => x.body.includes('persisted-credentials'))!;
    expect([c.start_line, c.line]).toEqual([7, 9]);
    expect(suggestionOf(c)).toBe('      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          fetch-depth: 0\n          persist-credentials: false');
    expect(scanFiles({ [path]: apply(text, c) }).findings.filter((f) => f.ruleId === 'persisted-credentials')).toEqual([]);
  });

  it('never gives two suggestions that share a line, and applying them all at once leaves a valid workflow without those findings', () => {
    const step = (i: number): string =>
      i % 2
        ? `      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n${i % 4 === 1 ? '        with:\n          ref: main\n' : ''}`
        : `      - run: |\n          echo "\${{ github.event.pull_request.title }}" ${i}\n          echo "\${{ github.event.pull_request.body }}"\n${i % 4 === 0 ? '        env:\n          X: y\n' : ''}`;
    const text = head + Array.from({ length: 12 }, (_, i) => step(i)).join('');
    const { plan, findings, path } = review(text);
    const fixable = findings.filter((f) => f.ruleId === 'template-injection' || f.ruleId === 'persisted-credentials');
    expect(fixable.length).toBe(18);
    expect(overlapping(plan.comments)).toEqual([]);
    expect(plan.comments.filter((c) => suggestionOf(c) !== undefined)).toHaveLength(12);
    const after = scanFiles({ [path]: applyAll(text, plan.comments) });
    expect(after.notices).toEqual([]);
    expect(after.findings.filter((f) => f.ruleId === 'template-injection' || f.ruleId === 'persisted-credentials' || f.ruleId === 'unchecked-file')).toEqual([]);
  });
});
