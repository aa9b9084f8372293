/**
 * Line edits and their application: every fix is "replace lines start..end with these lines", so that a file keeps
 * each untouched byte, its line endings (CRLF stays CRLF) and whether it ends with a newline.
 */

/** Replace lines `start`..`end` (1-based, inclusive) with `lines` (without line endings). */
export interface LineEdit {
  start: number;
  end: number;
  lines: string[];
  /** The rule whose finding this edit fixes. */
  rule: string;
}

/** A text split into lines, each with its own ending ('' for a last line without one). */
export interface Lines {
  bodies: string[];
  endings: string[];
  /** The ending new lines get: the file's most common one. */
  eol: string;
}

export function splitLines(text: string): Lines {
  const bodies: string[] = [];
  const endings: string[] = [];
  const re = /\r\n|\n/g;
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    bodies.push(text.slice(from, m.index));
    endings.push(m[0]);
    from = m.index + m[0].length;
  }
  if (from < text.length || bodies.length === 0) {
    bodies.push(text.slice(from));
    endings.push('');
  }
  const crlf = endings.filter((e) => e === '\r\n').length;
  return { bodies, endings, eol: crlf > endings.filter((e) => e === '\n').length ? '\r\n' : '\n' };
}

/** Edits that share a line with an earlier one (by start) are left out: the caller lists them and a later pass retries. */
export function disjoint(edits: readonly LineEdit[]): { kept: LineEdit[]; dropped: LineEdit[] } {
  const kept: LineEdit[] = [];
  const dropped: LineEdit[] = [];
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    if (kept.some((k) => e.start <= k.end && k.start <= e.end)) dropped.push(e);
    else kept.push(e);
  }
  return { kept, dropped };
}

/** The new text: each replaced run of lines keeps the ending of its last line; the lines before it get the file's ending. */
export function applyLineEdits(lines: Lines, edits: readonly LineEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let next = 1;
  const copy = (to: number): void => {
    for (; next <= to; next++) out += lines.bodies[next - 1]! + lines.endings[next - 1]!;
  };
  for (const e of sorted) {
    copy(e.start - 1);
    const lastEnding = lines.endings[e.end - 1]!;
    const ending = lines.endings[e.start - 1] || lines.eol;
    e.lines.forEach((l, i) => (out += l + (i === e.lines.length - 1 ? lastEnding : ending)));
    next = e.end + 1;
  }
  copy(lines.bodies.length);
  return out;
}
