import { describe, expect, it } from 'vitest';
import { summarise, type FailOn } from '../../src/core/gate.js';
import type { Finding, Notice, Severity } from '../../src/core/types.js';
import { renderText } from '../../src/reporters/text.js';
import { scanFiles, type ScanResult } from '../../src/scan.js';

function finding(path: string, line: number, severity: Severity, ruleId: string, message: string, span: Partial<Finding> = {}): Finding {
  return { ruleId, severity, confidence: 'high', message, path, line, column: 3, endLine: line, endColumn: 9, related: [], fingerprint: `fp-${path}-${line}`, ...span };
}

function result(findings: Finding[], failOn: FailOn = 'high', notices: Notice[] = [], root = '.'): ScanResult {
  return { root, failOn, findings, notices, summary: summarise(findings, failOn), stats: { filesSeen: 0, filesRead: 0, bytesRead: 0, skipped: 0 } };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;
// eslint-disable-next-line no-control-regex
const strip = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
// `path:line:col: severity rule message`, as compilers and linters print it (terminals and editors open it).
const SHAPE = /^(\S+):(\d+):(\d+): (critical|high|medium|low|info) ([a-z][a-z0-9-]*) (\S.*)$/;

describe('text reporter', () => {
  const findings = [
    finding('a/Dockerfile', 1, 'high', 'latest-image-tag', 'FROM x uses latest'),
    finding('a/Dockerfile', 12, 'critical', 'secret-in-env', 'ENV TOKEN is a secret'),
    finding('b/package.json', 3, 'medium', 'missing-lockfile', 'no lockfile'),
  ];

  it('prints one path:line:col: severity rule message line per finding, then counts and the verdict last', () => {
    const text = renderText(result(findings), { color: false });
    expect(text).toBe(
      [
        'a/Dockerfile:1:3: high latest-image-tag FROM x uses latest',
        'a/Dockerfile:12:3: critical secret-in-env ENV TOKEN is a secret',
        'b/package.json:3:3: medium missing-lockfile no lockfile',
        '',
        '3 findings (1 critical, 1 high, 1 medium)',
        '2 blocking (fail-on high): FAIL',
        '',
      ].join('\n'),
    );
    for (const line of text.split('\n').slice(0, 3)) expect(line).toMatch(SHAPE);
  });

  it('names files from where scan ran: the scanned path as given, joined to the finding path', () => {
    const text = renderText(result(findings, 'high', [{ path: 'k.yaml', line: 4, message: 'not valid YAML' }], 'repos/app'), { color: false });
    expect(text.split('\n')[0]).toBe('repos/app/a/Dockerfile:1:3: high latest-image-tag FROM x uses latest');
    expect(text).toContain('repos/app/k.yaml:4: notice not valid YAML');
  });

  it('passes when nothing reaches the threshold, and says so for an empty scan', () => {
    expect(renderText(result(findings, 'critical'), { color: false })).toContain('1 blocking (fail-on critical): FAIL');
    expect(renderText(result(findings, 'never'), { color: false })).toContain('0 blocking (fail-on never): PASS');
    expect(renderText(result([]), { color: false })).toBe('0 findings\n0 blocking (fail-on high): PASS\n');
  });

  it('lists notices before the counts, located like findings', () => {
    const text = renderText(result([], 'high', [{ message: 'skipped 1 file(s): 1 binary (x.png)' }, { path: 'k.yaml', line: 4, message: 'not valid YAML' }]), { color: false });
    expect(text.split('\n').slice(0, 3)).toEqual(['notice skipped 1 file(s): 1 binary (x.png)', 'k.yaml:4: notice not valid YAML', '']);
  });

  it('uses ANSI colours only when asked, and is otherwise the same text', () => {
    expect(renderText(result(findings), { color: false })).not.toMatch(ANSI);
    const coloured = renderText(result(findings), { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain('\u001b[35mcritical');
    expect(strip(coloured)).toBe(renderText(result(findings), { color: false }));
    const source = () => 'FROM x:latest';
    expect(renderText(result(findings), { color: false, terminal: { width: 80, source } })).not.toMatch(ANSI);
  });

  it('never passes control characters from the scanned files to the terminal', () => {
    const hostile = [finding('evil\u001b[2J.Dockerfile', 1, 'high', 'latest-image-tag', 'FROM x\u001b]0;pwned\u0007 uses latest\nsecond line \u202eevil')];
    const lines = ['FROM x\u001b]0;pwned\u0007 \u202eright-to-left\r'];
    const notices = [{ path: 'n\u001bx', message: 'bad \r value' }];
    for (const options of [{ color: false }, { color: true, terminal: { width: 60, source: (_p: string, l: number) => lines[l - 1] } }]) {
      const text = strip(renderText(result(hostile, 'high', notices), options));
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(text).toContain('evil\\u001b[2J.Dockerfile');
      expect(text).toContain('n\\u001bx: notice bad \\u000d value');
    }
    expect(renderText(result(hostile), { color: false })).toContain('FROM x\\u001b]0;pwned\\u0007 uses latest\\u000asecond line \\u202eevil');
  });

  it('renders a real scan through the engine', () => {
    const scanned = scanFiles({ 'svc/Dockerfile': 'FROM node:latest\nUSER node\n' });
    const text = renderText(scanned, { color: false });
    expect(text).toMatch(/^svc\/Dockerfile:1:6: high latest-image-tag FROM node:latest/m);
    expect(text).toContain('1 blocking (fail-on high): FAIL');
  });
});

describe('text reporter on a terminal', () => {
  const file = ['FROM node:20', 'RUN apt-get update && \\', '\tcurl -fsSL https://get.example.com | sudo -E bash -', 'ENV 名前=値 TOKEN=abc'];
  const source = (_path: string, line: number) => file[line - 1];
  const render = (fs: Finding[], width = 100, color = false) => renderText(result(fs), { color, terminal: { width, source } });

  it('puts the source line under the finding and a caret run under exactly the span', () => {
    const f = finding('Dockerfile', 1, 'high', 'unpinned-image', 'FROM node:20 is not pinned by digest', { column: 6, endColumn: 13 });
    const lines = render([f]).split('\n');
    expect(lines.slice(0, 4)).toEqual(['Dockerfile:1:6: high unpinned-image FROM node:20 is not pinned by digest', '  1 | FROM node:20', '    |      ^~~~~~~', '']);
    // The caret run covers the columns of `node:20` and nothing else.
    const code = lines[1]!.indexOf('FROM');
    const marker = lines[2]!;
    expect(lines[1]!.slice(marker.indexOf('^'), marker.lastIndexOf('~') + 1)).toBe('node:20');
    expect(marker.indexOf('^') - code).toBe(5);
  });

  it('keeps the caret under the span past tabs and wide characters, and drops the indentation before it', () => {
    const curl = finding('Dockerfile', 3, 'high', 'curl-pipe-shell', 'curl piped to bash', { column: 2, endColumn: 5 });
    const wide = finding('Dockerfile', 4, 'critical', 'secret-in-env', 'ENV TOKEN', { column: 10, endColumn: 19 });
    const lines = render([curl, wide]).split('\n');
    expect(lines.slice(1, 3)).toEqual(['  3 | curl -fsSL https://get.example.com | sudo -E bash -', '    | ^~~']);
    // 名前=値 is 4 characters and 7 cells: the caret starts under T, 3 cells further than the code units say.
    expect(lines.slice(5, 7)).toEqual(['  4 | ENV 名前=値 TOKEN=abc', `    | ${' '.repeat(12)}^${'~'.repeat(8)}`]);
  });

  it('marks a span that goes on past its line to the end of that line, and one at the end of the line just after it', () => {
    const multi = finding('Dockerfile', 2, 'high', 'curl-pipe-shell', 'x', { column: 5, endLine: 3, endColumn: 10 });
    const end = finding('Dockerfile', 1, 'low', 'r', 'y', { column: 13, endColumn: 13 });
    const text = render([multi, end]);
    expect(text).toContain(`  2 | RUN apt-get update && \\\n    |     ^${'~'.repeat(18)}\n`);
    expect(text).toContain('  1 | FROM node:20\n    |             ^\n');
  });

  it('cuts a long line around the span, with … where it was cut, and the caret still under the span', () => {
    const long = `RUN echo ${'a'.repeat(200)} && curl -s https://x.example/i.sh | sh && echo ${'b'.repeat(200)}`;
    const at = long.indexOf('curl');
    const f = finding('Dockerfile', 1, 'high', 'curl-pipe-shell', 'x', { column: at + 1, endColumn: at + 36 });
    const lines = renderText(result([f]), { color: false, terminal: { width: 80, source: () => long } }).split('\n');
    const [shown, marker] = [lines[1]!, lines[2]!];
    expect(shown.length).toBeLessThanOrEqual(80);
    expect(shown).toMatch(/^ {2}1 \| …a+ && curl -s https:\/\/x\.example\/i\.sh \| sh && echo b+…$/);
    expect(shown.slice(marker.indexOf('^'), marker.lastIndexOf('~') + 1)).toBe('curl -s https://x.example/i.sh | sh');
  });

  it('shows no source where the reader gives none (unreadable, or a line that holds a secret)', () => {
    const f = finding('gone/Dockerfile', 1, 'high', 'unpinned-image', 'x', { column: 6, endColumn: 13 });
    expect(renderText(result([f]), { color: false, terminal: { width: 80, source: () => undefined } })).toBe(
      'gone/Dockerfile:1:6: high unpinned-image x\n\n1 finding (1 high)\n1 blocking (fail-on high): FAIL\n',
    );
  });

  it('wraps long lines at word boundaries to the width, never inside a word', () => {
    const message = `${'The final stage sets no USER so it runs as root: add an unprivileged user and USER 10001 at the end. '.repeat(3)}https://docs.example.com/${'x'.repeat(90)}`;
    const f = finding('services/api/Dockerfile', 1, 'high', 'runs-as-root', message, { column: 1, endColumn: 5 });
    const text = strip(render([f], 60, true));
    const head = text.split('\n  1 | ')[0]!.split('\n');
    expect(head.length).toBeGreaterThan(3);
    for (const line of head) if (!line.includes('https://')) expect(line.length).toBeLessThanOrEqual(60);
    // Every cut is at a space: rejoined, the lines are the one-line form.
    expect(head.map((l, i) => (i === 0 ? l : l.replace(/^ {4}/, ''))).join(' ')).toBe(`services/api/Dockerfile:1:1: high runs-as-root ${message}`);
  });
});
