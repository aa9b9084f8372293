// The labelled part of the secretlint comparison (bench/secrets/compare.mjs runs the timed parts):
// the labelled tree is generated into a temporary folder, secretlint's recommended preset runs
// through its Node API and the gate's hardcoded-secret rule through scanDirectory, both in-process.
// The bar: the gate finds every secret secretlint finds (same file and line), with no more
// false alarms. secretlint is a dev dependency; only this test and bench/ import it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base62, buildLabelled, crc32, LABELS_FILE, labelsJson, writeLabelled, type Label } from '../bench/secrets/gen-labelled.mjs';
import { foundOnlyBy, fromGate, fromSecretlint, markdownTable, score, type Score } from '../bench/secrets/score.mjs';
import { findRule } from '../src/rules/index.js';
import { scanDirectory } from '../src/scan.js';

describe('labelled secret examples', () => {
  it('are deterministic and match the committed bench/secrets/labels.json', () => {
    const a = buildLabelled();
    expect(buildLabelled()).toEqual(a);
    expect(labelsJson(a.labels)).toBe(readFileSync(LABELS_FILE, 'utf8'));
    const secrets = a.labels.filter((l) => l.secret);
    expect(new Set(secrets.map((l) => l.format)).size).toBeGreaterThanOrEqual(40);
    expect(a.labels.length - secrets.length).toBeGreaterThanOrEqual(30);
  });

  it('give GitHub tokens a valid CRC32 base62 checksum (and the decoy a wrong one)', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(base62(61, 2)).toBe('0z');
    const { files, labels } = buildLabelled();
    const tokenOn = (l: Label): string => {
      const line = files[l.file]!.split('\n')[l.line - 1]!;
      return /'gh[a-z]_([A-Za-z0-9]{36})'/.exec(line)![1]!;
    };
    const valid = (t: string): boolean => base62(crc32(t.slice(0, 30)), 6) === t.slice(30);
    const classic = labels.filter((l) => /^github-(classic-pat|oauth|user-to-server|server-to-server|refresh)$/.test(l.format));
    expect(classic).toHaveLength(5);
    for (const l of classic) expect(valid(tokenOn(l))).toBe(true);
    expect(valid(tokenOn(labels.find((l) => l.format === 'github-classic-bad-checksum')!))).toBe(false);
  });
});

// Skipped only while the rule is not registered (it lands separately); once registered, this is the bar.
describe('gate against secretlint on the labelled examples', () => {
  let dir: string;
  let labels: Label[];
  let scores: { gate: Score; secretlint: Score };
  let loadMs = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-labelled-'));
    labels = writeLabelled(join(dir, 'repo'));
    const root = join(dir, 'repo');
    const paths = [...new Set(labels.map((l) => l.file))].map((f) => join(root, f));

    const t0 = performance.now();
    const { createEngine } = await import('@secretlint/node');
    const engine = await createEngine({
      cwd: root,
      formatter: 'json',
      color: false,
      configFileJSON: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] },
    });
    loadMs = performance.now() - t0;
    const linted = await engine.executeOnFiles({ filePathList: paths });

    const gate = await scanDirectory(root, { rules: [findRule('hardcoded-secret')!] });
    scores = { gate: score(labels, fromGate(gate.findings)), secretlint: score(labels, fromSecretlint(JSON.parse(linted.output), root)) };
    console.log(`secretlint API load: ${loadMs.toFixed(0)} ms\n\n${markdownTable(labels, scores)}\n`);
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('secretlint finds the formats its preset knows (the harness works)', () => {
    expect(scores.secretlint.found.size).toBeGreaterThanOrEqual(40);
  });

  it('the gate finds every secret secretlint finds, in the same file and line', () => {
    expect(foundOnlyBy(scores.secretlint, scores.gate).map((l) => `${l.file}:${l.line} ${l.format}`)).toEqual([]);
    expect(scores.gate.found.size).toBeGreaterThan(scores.secretlint.found.size);
  });

  it('the gate raises no more false alarms than secretlint', () => {
    const alarms = (s: Score): string[] => [...[...s.decoysHit].map((l) => `${l.file}:${l.line} ${l.format}`), ...s.unlabelled.map((f) => `${f.file}:${f.line} (unlabelled)`)];
    expect(alarms(scores.gate).length, alarms(scores.gate).join('\n')).toBeLessThanOrEqual(alarms(scores.secretlint).length);
  });
});
