/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate nearest to `value` when it is close enough to be a likely typo (a third of its length, at least 2 edits). */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  const v = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(v.length / 3)) + 1;
  for (const c of candidates) {
    // The distance is at least the difference in length: a long value (a hostile config key) costs nothing here.
    if (Math.abs(v.length - c.length) >= bestDistance) continue;
    const dist = editDistance(v, c.toLowerCase());
    if (dist < bestDistance && dist < v.length) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}
