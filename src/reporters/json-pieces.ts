/**
 * `JSON.stringify(value, null, 2)` (or, `pretty` false, `JSON.stringify(value)`) in pieces, so a report of 40,000
 * findings is written without ever being one 20 MB string (and its encoded copy) in memory. The joined pieces are
 * the same bytes as the one string: the outer objects and arrays are written here, each element of a long array
 * is stringified on its own and re-indented (a JSON text has no raw newline inside a string, so re-indenting is a
 * plain replace).
 *
 * Values are plain JSON data (no `toJSON`, no cycles), as the reporters build them.
 */
const SHORT_ARRAY = 8;

export function* jsonPieces(value: unknown, pretty = true, indent = '', descend = true): Generator<string> {
  if (!descend || value === null || typeof value !== 'object') {
    const text = (pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value)) ?? 'null';
    yield pretty ? text.replaceAll('\n', `\n${indent}`) : text;
    return;
  }
  const inner = pretty ? `${indent}  ` : '';
  const open = pretty ? `\n${inner}` : '';
  const close = pretty ? `\n${indent}` : '';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    // A short array (SARIF's one run) is opened further; a long one's elements are each one piece.
    const deeper = value.length <= SHORT_ARRAY;
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield open;
      const v: unknown = value[i];
      yield* jsonPieces(v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v, pretty, inner, deeper);
      if (i < value.length - 1) yield ',';
    }
    yield `${close}]`;
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i]!;
    yield `${open}${JSON.stringify(key)}:${pretty ? ' ' : ''}`;
    yield* jsonPieces(v, pretty, inner, true);
    if (i < entries.length - 1) yield ',';
  }
  yield `${close}}`;
}

/** Feeds the JSON text and a final newline to `write` in batches of about `batch` characters. */
export function writeJsonPieces(value: unknown, write: (text: string) => void, options: { pretty?: boolean; batch?: number } = {}): void {
  const batch = options.batch ?? 1 << 20;
  let buffer = '';
  for (const piece of jsonPieces(value, options.pretty ?? true)) {
    buffer += piece;
    if (buffer.length >= batch) {
      write(buffer);
      buffer = '';
    }
  }
  write(`${buffer}\n`);
}
