/**
 * A small least-recently-used memo: at most `limit` entries, the oldest read evicted first. Scans
 * visit paths in sorted order, so a file's neighbours (its manifest, lockfile, workspace root) are
 * read close together; a bounded memo keeps those hot without holding every file of a monorepo.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly limit: number) {}

  /** The cached value of `key`, else `make(key)` (cached, `undefined` included). */
  get(key: K, make: (key: K) => V): V {
    if (this.map.has(key)) {
      const value = this.map.get(key) as V;
      this.map.delete(key);
      this.map.set(key, value);
      return value;
    }
    const value = make(key);
    this.set(key, value);
    return value;
  }

  /** Stores a value made elsewhere (a document the scan already parsed), so a later `get` does not make it again. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as K);
  }

  get size(): number {
    return this.map.size;
  }
}
