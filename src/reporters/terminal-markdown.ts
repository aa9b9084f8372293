import { segments } from './markdown.js';
import { clean, displayWidth, painter, wrapRuns, type Paint, type Run } from './terminal.js';

export interface TerminalMarkdownOptions {
  color: boolean;
  /** Prose is wrapped at word boundaries to this width; code blocks never are. */
  width: number;
}

const INDENT = '  ';

/**
 * The Markdown that the gate writes (rule docs: src/docs.ts) as terminal text: headings as styled lines, prose
 * wrapped under them, code blocks indented and never wrapped, tables aligned, list items bulleted, code spans
 * styled (their text exact), links as `text (url)`. No Markdown syntax is left over, with or without colours.
 * It reads the block shapes the docs generator writes: ATX headings, fenced code, pipe tables, `-`/`1.` lists,
 * and paragraphs.
 */
export function renderMarkdownForTerminal(markdown: string, options: TerminalMarkdownOptions): string {
  const paint = painter(options.color);
  const quote = !options.color;
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  const gap = (): void => {
    if (out.length > 0 && out.at(-1) !== '') out.push('');
  };
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}\\s*$`);
      gap();
      for (i++; i < lines.length && !close.test(lines[i]!); i++) out.push(INDENT + INDENT + codeLine(lines[i]!));
      i++;
      gap();
      continue;
    }
    const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      gap();
      out.push(...wrapRuns(styled(inline(heading[2]!, quote), heading[1]!.length === 1 ? 'heading' : 'bold'), paint, options.width));
      out.push('');
      i++;
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows: string[] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i]!); i++) rows.push(lines[i]!);
      gap();
      out.push(...table(rows, paint, quote));
      gap();
      continue;
    }
    const item = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      const depth = Math.floor(item[1]!.length / 2);
      const bullet = /\d/.test(item[2]!) ? item[2]! : '•';
      const lead = INDENT.repeat(depth + 1);
      let text = item[3]!;
      for (i++; i < lines.length && /^\s+\S/.test(lines[i]!) && !/^\s*([-*+]|\d+[.)])\s/.test(lines[i]!); i++) text += ` ${lines[i]!.trim()}`;
      const runs: Run[] = [{ text: `${lead}${bullet} ` }, ...inline(text, quote)];
      out.push(...wrapRuns(runs, paint, options.width, ' '.repeat(lead.length + displayWidth(bullet) + 1)));
      continue;
    }
    if (line.trim() === '') {
      gap();
      i++;
      continue;
    }
    let text = line.trim();
    for (i++; i < lines.length && lines[i]!.trim() !== '' && !startsBlock(lines[i]!); i++) text += ` ${lines[i]!.trim()}`;
    out.push(...wrapRuns([{ text: INDENT }, ...inline(text, quote)], paint, options.width, INDENT));
  }
  while (out.at(-1) === '') out.pop();
  return `${out.join('\n')}\n`;
}

const startsBlock = (line: string): boolean => /^ {0,3}(`{3,}|~{3,}|#{1,6}\s)|^\s*\||^\s*([-*+]|\d+[.)])\s/.test(line);

/** Code as written, tabs as spaces, control characters escaped. */
const codeLine = (line: string): string => clean(line.replace(/\t/g, '    '));

function styled(runs: Run[], style: Run['style']): Run[] {
  return runs.map((r) => ({ text: r.text, style: r.style ?? style }));
}

/** Inline Markdown: code spans (exact text, styled, or quoted without colours), `**strong**`, links as `text (url)`, escapes and entities undone. */
export function inline(text: string, quoteCode = false): Run[] {
  const runs: Run[] = [];
  for (const seg of segments(text)) {
    if (seg.code) {
      // Without colours, code stays apart from the prose between typographic quotes, which code rarely holds.
      runs.push({ text: quoteCode ? `‘${clean(seg.text)}’` : clean(seg.text), style: 'code' });
      continue;
    }
    let rest = seg.text;
    while (rest !== '') {
      const strong = /\*\*(?=\S)(.+?)(?<=\S)\*\*/.exec(rest);
      if (!strong) break;
      if (strong.index > 0) runs.push({ text: prose(rest.slice(0, strong.index)) });
      runs.push({ text: prose(strong[1]!), style: 'bold' });
      rest = rest.slice(strong.index + strong[0].length);
    }
    if (rest !== '') runs.push({ text: prose(rest) });
  }
  return runs;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', nbsp: ' ' };

/** Prose outside code: links shown with their address, backslash escapes and the entities the Markdown writer uses undone. */
function prose(text: string): string {
  const shown = text
    .replace(/<span>\$<\/span>/g, '$')
    .replace(/<br>/g, ' ')
    .replace(/\[((?:\\.|[^\]\\])*)\]\(([^()\s]*)\)/g, (_, label: string, url: string) => (label.replace(/\\(.)/g, '$1') === url ? url : `${label} (${url})`))
    .replace(/<((?:https?|mailto):[^<>\s]*)>/g, '$1')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? m;
      const cp = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return cp === 0x200b ? '' : cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    });
  return clean(shown);
}

/** A pipe table as aligned columns; the delimiter row goes, the header row is dimmed. */
function table(rows: readonly string[], paint: Paint, quote: boolean): string[] {
  const cells = rows
    .filter((row) => !/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(row))
    .map((row) =>
      row
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => inline(cell.trim().replace(/\\\|/g, '|'), quote)),
    );
  const widths: number[] = [];
  for (const row of cells) row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 0, displayWidth(cell.map((r) => r.text).join('')))));
  return cells.map((row, r) =>
    (
      INDENT +
      row
        .map((cell, c) => {
          const shown = (r === 0 ? styled(cell, 'dim') : cell).map((run) => paint(run.style, run.text)).join('');
          return shown + ' '.repeat((widths[c] ?? 0) - displayWidth(cell.map((run) => run.text).join('')));
        })
        .join('  ')
    ).trimEnd(),
  );
}
