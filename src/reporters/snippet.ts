import { cellWidth, escapeChar, isControl } from './terminal.js';

/** A source line as shown under a finding, and the marker line (`^~~~`) whose columns match it cell for cell. */
export interface Snippet {
  source: string;
  marker: string;
}

const TAB = 4;

interface Piece {
  text: string;
  /** First code unit of the piece in the line, and the cell it starts at. */
  unit: number;
  cell: number;
  width: number;
}

/**
 * Shows `line` with a caret under code units [from, to) (0-based, `to` exclusive), in at most `width` cells.
 * Indentation before the span is dropped; tabs become spaces, control characters are shown escaped; a long
 * line is cut around the span, with `…` where it was cut.
 */
export function markSpan(line: string, from: number, to: number, width: number): Snippet {
  let text = line.replace(/\s+$/, '');
  from = Math.max(0, Math.min(from, text.length));
  to = Math.max(from + 1, Math.min(to, text.length));
  const lead = Math.min(/^[ \t]*/.exec(text)![0].length, from);
  text = text.slice(lead);
  from -= lead;
  to -= lead;

  const pieces: Piece[] = [];
  let cell = 0;
  for (let unit = 0; unit < text.length; ) {
    const cp = text.codePointAt(unit)!;
    const ch = String.fromCodePoint(cp);
    const shown = ch === '\t' ? ' '.repeat(TAB - (cell % TAB)) : isControl(ch) ? escapeChar(ch) : ch;
    const w = ch === '\t' || shown !== ch ? shown.length : cellWidth(cp);
    pieces.push({ text: shown, unit, cell, width: w });
    cell += w;
    unit += ch.length;
  }
  const total = cell;
  const cellAt = (u: number): number => {
    if (u >= text.length) return total;
    let p = pieces.length - 1;
    while (p > 0 && pieces[p]!.unit > u) p--;
    return pieces[p]!.cell;
  };
  const start = cellAt(from);
  const end = Math.max(start + 1, cellAt(to));

  // Cells the line and the caret take (a caret may point just past the end: something missing there).
  const need = Math.max(total, end);
  const room = Math.max(20, width);
  let begin = 0;
  let stop = need;
  if (need > room) {
    const context = end - start >= room - 10 ? 4 : Math.floor((room - (end - start)) / 2);
    begin = Math.max(0, Math.min(start - context, need - room));
    stop = begin + room;
  }
  // A cut end shows `…` in its first (or last) cell; a piece that does not fit whole is left out, its cells blank.
  const first = begin > 0 ? begin + 1 : 0;
  const last = stop < total ? stop - 1 : stop;
  let source = begin > 0 ? '…' : '';
  let at = first;
  for (const p of pieces) {
    if (p.cell < first || p.cell + p.width > last) continue;
    source += ' '.repeat(p.cell - at) + p.text;
    at = p.cell + p.width;
  }
  if (stop < total) source += `${' '.repeat(Math.max(0, last - at))}…`;

  const markFrom = Math.max(start, first) - begin;
  const markTo = Math.max(markFrom + 1, Math.min(end, last) - begin);
  return { source, marker: `${' '.repeat(markFrom)}^${'~'.repeat(markTo - markFrom - 1)}` };
}
