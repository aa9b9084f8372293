import { describe, expect, it } from 'vitest';
import { Lru } from '../../src/core/lru.js';

describe('Lru', () => {
  it('memoises (undefined included), keeps at most limit entries and evicts the least recently read', () => {
    const made: string[] = [];
    const lru = new Lru<string, string | undefined>(2);
    const make = (k: string) => (made.push(k), k === 'none' ? undefined : k.toUpperCase());
    expect(lru.get('a', make)).toBe('A');
    expect(lru.get('none', make)).toBeUndefined();
    expect(lru.get('none', make)).toBeUndefined();
    expect(lru.get('a', make)).toBe('A'); // 'a' is now the most recent
    expect(lru.get('b', make)).toBe('B'); // evicts 'none'
    expect(lru.size).toBe(2);
    expect(lru.get('a', make)).toBe('A');
    expect(lru.get('none', make)).toBeUndefined();
    expect(made).toEqual(['a', 'none', 'b', 'none']);
  });
});
