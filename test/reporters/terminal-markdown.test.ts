import { describe, expect, it } from 'vitest';
import { renderRuleDoc } from '../../src/docs.js';
import { segments } from '../../src/reporters/markdown.js';
import { renderMarkdownForTerminal } from '../../src/reporters/terminal-markdown.js';
import { rules } from '../../src/rules/index.js';

// eslint-disable-next-line no-control-regex
const CODE = /\u001b\[36m([^\u001b]*)\u001b\[39m/g;
// eslint-disable-next-line no-control-regex
const strip = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

/** What is left of Markdown syntax once code (styled, or quoted without colours) and code blocks are taken out. */
function markdownLeft(out: string, markdown: string): string[] {
  const blocks = new Set(codeBlockLines(markdown).map((l) => `    ${l}`));
  return strip(out.replace(CODE, ''))
    .replace(/‘[^’]*’/g, '')
    .split('\n')
    .filter((line) => !blocks.has(line))
    .filter((line) => /\*\*|`|\]\(|^\s*#|^\s*\||^\s*[-*+] |^\s*```/.test(line));
}

function codeBlockLines(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    if (fence === undefined && /^`{3,}/.test(line)) fence = /^`+/.exec(line)![0];
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence !== undefined) out.push(line.replace(/\t/g, '    '));
  }
  return out;
}

function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').filter((line) => {
    if (fence === undefined && /^`{3,}/.test(line)) fence = /^`+/.exec(line)![0];
    else if (fence !== undefined && line === fence) fence = undefined;
    else return fence === undefined;
    return false;
  });
}

describe('Markdown for the terminal (explain)', () => {
  it.each(rules.map((r) => [r.id, r] as const))('%s: no raw Markdown is left, code and code blocks are exact', (_id, rule) => {
    const markdown = renderRuleDoc(rule);
    for (const color of [true, false]) {
      const out = renderMarkdownForTerminal(markdown, { color, width: 80 });
      expect(markdownLeft(out, markdown)).toEqual([]);
      // Code blocks come out line for line, indented, never wrapped; the fences are gone.
      for (const line of codeBlockLines(markdown)) expect(out.split('\n')).toContain(`    ${line}`.trimEnd() === '' ? '' : `    ${line}`);
      expect(out).not.toMatch(/^\s*```/m);
      // Every code span of the prose is there, whole (a span may be wrapped at its spaces).
      const spans = proseLines(markdown).flatMap((line) => segments(line).filter((s) => s.code && !s.text.includes(' ')));
      const flat = strip(out).replace(/\n\s*/g, ' ');
      for (const s of spans) expect(flat).toContain(color ? s.text : `‘${s.text}’`);
      // Prose fits the width; only a code line or an unbreakable word may be longer.
      const blocks = new Set(codeBlockLines(markdown).map((l) => `    ${l}`));
      for (const line of strip(out).split('\n')) if (line.length > 80 && !blocks.has(line)) expect(line.trim()).not.toContain(' ');
    }
    // The title is bold, not wrapped in asterisks; the headings are styled lines.
    const coloured = renderMarkdownForTerminal(markdown, { color: true, width: 80 });
    expect(coloured).toContain(`\u001b[1m${rule.title}\u001b[22m`);
    expect(coloured.startsWith(`\u001b[1;4m${rule.id}\u001b[22;24m\n`)).toBe(true);
    expect(coloured).toContain('\n\u001b[1mHow to fix\u001b[22m\n');
  });

  it('renders each shape the docs use: headings, lists, tables, links, escapes, entities and long fences', () => {
    const md = [
      '# Title',
      '',
      '**Strong** text with `code` and a [link](https://example.com/a) and <https://x.example>, \\*not emphasis\\*, a &lt;tag&gt;.',
      '',
      '| name | value |',
      '| --- | --- |',
      '| `a \\| b` | plain |',
      '',
      '- first item',
      '  continued',
      '  - nested `x`',
      '1. numbered',
      '',
      '````sh',
      'echo "```"',
      '````',
      '',
      '## Section',
      '',
      'Last paragraph.',
      '',
    ].join('\n');
    expect(renderMarkdownForTerminal(md, { color: false, width: 80 })).toBe(
      [
        'Title',
        '',
        '  Strong text with ‘code’ and a link (https://example.com/a) and',
        '  https://x.example, *not emphasis*, a <tag>.',
        '',
        '  name     value',
        '  ‘a | b’  plain',
        '',
        '  • first item continued',
        '    • nested ‘x’',
        '  1. numbered',
        '',
        '    echo "```"',
        '',
        'Section',
        '',
        '  Last paragraph.',
        '',
      ].join('\n'),
    );
  });

  it('keeps control characters in a document from reaching the terminal', () => {
    const out = renderMarkdownForTerminal('Text \u001b[2J here `code\u0007`\n\n```\nline\u001b]0;x\u0007\n```\n', { color: true, width: 80 });
    // eslint-disable-next-line no-control-regex
    expect(strip(out)).not.toMatch(/\u001b|\u0007/);
    expect(strip(out)).toContain('Text \\u001b[2J here code\\u0007');
  });
});
