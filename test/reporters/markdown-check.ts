import { marked, type Token, type Tokens } from 'marked';

/** GitHub-flavoured Markdown → HTML, as GitHub would (tables, strikethrough, autolinks). */
export function render(md: string): string {
  return marked.parse(md, { gfm: true, async: false });
}

const VOID = new Set(['br', 'hr', 'img', 'input', 'wbr']);

/** Problems with the rendered HTML: unbalanced tags, scripts, event handlers, script URLs. */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of withoutComments.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const [, close, rawName, attrs] = m;
    const name = rawName!.toLowerCase();
    if (name === 'script' || name === 'iframe' || name === 'style') problems.push(`<${name}> element`);
    if (/\son\w+\s*=/i.test(attrs!)) problems.push(`event handler in <${name}${attrs}>`);
    if (/(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):/i.test(attrs!)) problems.push(`script URL in <${name}${attrs}>`);
    if (VOID.has(name)) continue;
    if (!close) stack.push(name);
    else if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element`);
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}

/** Every table's rows must have as many cells as its header (counted on the Markdown, since renderers pad and cut rows). */
export function tableProblems(md: string): string[] {
  const problems: string[] = [];
  const cells = (row: string): number => {
    let n = 0;
    for (let i = 0; i < row.length; i++) {
      if (row[i] === '\\') i++;
      else if (row[i] === '|') n++;
    }
    return n;
  };
  for (const t of allTokens(marked.lexer(md, { gfm: true }))) {
    if (t.type !== 'table') continue;
    const rows = (t as Tokens.Table).raw.split('\n').filter((l) => l.trim() !== '');
    const want = cells(rows[0]!);
    for (const r of rows) if (cells(r) !== want) problems.push(`row with ${cells(r)} pipes, header has ${want}: ${r.slice(0, 120)}`);
  }
  return problems;
}

export function tables(md: string): Tokens.Table[] {
  return allTokens(marked.lexer(md, { gfm: true })).filter((t): t is Tokens.Table => t.type === 'table');
}

function allTokens(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => [t, ...('tokens' in t && Array.isArray(t.tokens) ? allTokens(t.tokens) : [])]);
}

/** Links in the HTML: decoded href and the link's text without tags and entities. */
export function links(html: string): { href: string; text: string }[] {
  return [...html.matchAll(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({ href: decodeEntities(m[1]!), text: textOf(m[2]!) }));
}

export function textOf(html: string): string {
  return decodeEntities(html.replace(/<br>/g, '\n').replace(/<[^>]+>/g, ''));
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}
