import type { Lines } from './edits.js';

const CONTEXT = 3;
type Op = '=' | '-' | '+';

/** Myers' shortest edit script between two line lists (common head and tail trimmed first: fixes touch few lines). */
export function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x0 = a.slice(head, a.length - tail);
  const y0 = b.slice(head, b.length - tail);
  const n = x0.length;
  const m = y0.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && x0[x] === y0[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  const middle: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const w = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && w[max + k - 1]! < w[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = w[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      middle.push('=');
      x--;
      y--;
    }
    if (d > 0) middle.push(x === prevX ? '+' : '-');
    x = prevX;
    y = prevY;
  }
  return [...Array<Op>(head).fill('='), ...middle.reverse(), ...Array<Op>(tail).fill('=')];
}

/**
 * A unified diff between two versions of one file (git's format, `a/` and `b/` prefixes, up to three lines of context):
 * `git apply` takes it as is, CRLF lines and a missing final newline included. `path` is relative to the root, with `/`.
 * A context line that `hidden` names (one holding a secret) is never printed: the context stops short of it, and
 * undefined is returned when a changed line itself, or the line right next to a change, would have to be shown.
 */
export function unifiedDiff(path: string, before: Lines, after: Lines, hidden: (line: string) => boolean = () => false): string | undefined {
  const key = (l: Lines, i: number): string => l.bodies[i]! + l.endings[i]!;
  const a = before.bodies.map((_, i) => key(before, i));
  const b = after.bodies.map((_, i) => key(after, i));
  const rows: { op: Op; ai: number; bi: number; hide: boolean }[] = [];
  let ai = 0;
  let bi = 0;
  for (const op of diffOps(a, b)) {
    rows.push({ op, ai, bi, hide: hidden(op === '+' ? after.bodies[bi]! : before.bodies[ai]!) });
    if (op !== '+') ai++;
    if (op !== '-') bi++;
  }
  if (rows.some((r) => r.op !== '=' && r.hide)) return undefined;
  // Runs of changes; two runs share a hunk when at most 2 × CONTEXT shown lines lie between them.
  const groups: [number, number][] = [];
  rows.forEach((r, i) => {
    if (r.op === '=') return;
    const last = groups.at(-1);
    if (last && i - last[1] <= 2 * CONTEXT + 1 && !rows.slice(last[1] + 1, i).some((x) => x.hide)) last[1] = i;
    else groups.push([i, i]);
  });
  if (groups.length === 0) return '';
  let out = `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n`;
  const show = (mark: string, text: string): string => `${mark}${text}${text.endsWith('\n') ? '' : '\n\\ No newline at end of file\n'}`;
  for (const [from, to] of groups) {
    let lo = from;
    while (lo > 0 && from - lo < CONTEXT && !rows[lo - 1]!.hide) lo--;
    let hi = to;
    while (hi < rows.length - 1 && hi - to < CONTEXT && !rows[hi + 1]!.hide) hi++;
    // git reads a hunk without leading (trailing) context as one at the start (end) of the file.
    if ((lo === from && from > 0) || (hi === to && to < rows.length - 1)) return undefined;
    const slice = rows.slice(lo, hi + 1);
    const oldCount = slice.filter((r) => r.op !== '+').length;
    const newCount = slice.filter((r) => r.op !== '-').length;
    const oldStart = oldCount === 0 ? slice[0]!.ai : slice[0]!.ai + 1;
    const newStart = newCount === 0 ? slice[0]!.bi : slice[0]!.bi + 1;
    out += `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@\n`;
    for (const r of slice) out += r.op === '+' ? show('+', b[r.bi]!) : show(r.op === '-' ? '-' : ' ', a[r.ai]!);
  }
  return out;
}
