// Shortening for places with a length limit (annotations, SARIF descriptions, baseline contexts, error excerpts,
// Markdown cells): a cut falls between words and is marked, so a clipped fix never reads as another word.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excerpt } from '../../src/core/limits.js';
import { shorten, wordPrefix } from '../../src/core/shorten.js';

describe('shorten', () => {
  it('leaves text that fits alone', () => {
    expect(shorten('Pin it to a digest.', 19)).toBe('Pin it to a digest.');
  });

  it('cuts before a space and drops the separator left dangling', () => {
    // The example: "… or `frizbee` rew…" read as a word that does not exist.
    const fix = 'Pin every action to a full commit SHA, or let `frizbee` rewrite the references for you.';
    expect(shorten(fix, 60)).toBe('Pin every action to a full commit SHA, or let `frizbee`…');
    expect(shorten('one, two, three', 10)).toBe('one, two…');
    // The backtick that closes a span stays with it.
    expect(shorten('Run `npm ci` instead of npm install', 13)).toBe('Run `npm ci`…');
    expect(shorten('Run `npm ci` or `yarn install --immutable` instead', 20)).toBe('Run `npm ci` or…');
  });

  it('cuts one long path or URL after a joint when no space keeps half of the room', () => {
    expect(shorten('see https://example.test/owner/repository/blob/main/file.yml', 40)).toBe('see https://example.test/owner/…');
    expect(shorten('deploy/k8s/overlays/production/deployment.yaml', 30)).toBe('deploy/k8s/overlays/…');
  });

  it('cuts inside a word only when it has no boundary at all, and never between a surrogate pair', () => {
    expect(shorten('x'.repeat(30), 10)).toBe(`${'x'.repeat(9)}…`);
    const out = shorten('😀'.repeat(10), 6);
    expect(out).toBe('😀😀…');
    // no lone surrogate
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('keeps to the limit, and keeps whole words from the start', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 20 }), fc.integer({ min: 2, max: 80 }), (words, max) => {
        const s = words.join(' ');
        const out = shorten(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (s.length <= max) {
          expect(out).toBe(s);
          return;
        }
        expect(out.endsWith('…')).toBe(true);
        const kept = out.slice(0, -1).split(' ').filter((w) => w !== '');
        // Every kept word is a whole word of the text, in order; only a first word longer than half the room is cut.
        const whole = kept.every((w, i) => w === words[i]);
        expect(whole || (kept.length === 1 && words[0]!.startsWith(kept[0]!) && words[0]!.length > (max - 1) / 2)).toBe(true);
      }),
    );
  });
});

describe('wordPrefix', () => {
  it('with `whole`, never cuts a word: no boundary means nothing kept', () => {
    expect(wordPrefix('x'.repeat(30), 10, true)).toBe('');
    expect(wordPrefix('npm install left-pad', 15, true)).toBe('npm install');
    expect(wordPrefix('a-very-long-package-name', 10, true)).toBe('a-very-');
  });
});

describe('excerpt', () => {
  it('puts the text on one line and cuts it between words', () => {
    expect(excerpt('rules:\n  unknown-rule: off\n  another: on', 30)).toBe('rules:   unknown-rule: off…');
  });
});
