// The README is the first thing a new user runs: its quick start comes early, its workflows pass the gate they
// install, its config example is a valid config, and its links lead to files that exist.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config-file.js';
import { scanFiles } from '../../src/scan.js';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const lines = readme.split('\n');
/** Fenced blocks with their language and the 1-based line of the opening fence. */
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1]!,
  text: m[2]!,
  line: readme.slice(0, m.index).split('\n').length,
}));
const scratch = mkdtempSync(join(tmpdir(), 'pc-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the README', () => {
  it('is short and puts the quick-start workflow within its first 60 lines', () => {
    expect(lines.length).toBeLessThanOrEqual(250);
    const first = blocks.find((b) => b.lang === 'yaml' && /^jobs:/m.test(b.text));
    expect(first).toBeDefined();
    const uses = first!.line + first!.text.split('\n').findIndex((l) => l.includes('uses: portcullis-dev/portcullis@'));
    expect(uses).toBeLessThan(60);
  });

  it('gives workflows that pass the gate they install, with no finding at all', () => {
    const workflows = blocks.filter((b) => b.lang === 'yaml' && /^on:/m.test(b.text) && /^jobs:/m.test(b.text));
    expect(workflows.length).toBeGreaterThan(0);
    for (const [i, w] of workflows.entries()) {
      const result = scanFiles({ [`.github/workflows/readme-${i}.yml`]: w.text });
      expect(result.findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
    }
  });

  it('gives a config example that the config validator accepts', () => {
    const config = blocks.find((b) => b.lang === 'yaml' && /^fail-on:/m.test(b.text));
    expect(config).toBeDefined();
    const dir = join(scratch, 'config');
    mkdirSync(join(dir, '.github'), { recursive: true });
    writeFileSync(join(dir, '.github', 'portcullis.yml'), config!.text);
    writeFileSync(join(dir, '.portcullis-baseline.json'), '{"version":1,"findings":[]}\n');
    const loaded = loadConfig(dir);
    expect(loaded?.config.failOn).toBe('high');
    expect(loaded?.config.ignore).toHaveLength(1);
  });

  it('links only to files that exist', () => {
    for (const file of ['README.md', 'CONTRIBUTING.md', 'docs/reference.md', 'docs/rules/README.md']) {
      // links in prose, not in code blocks or code spans
      const text = readFileSync(join(root, file), 'utf8').replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        expect(existsSync(join(root, dirname(file), target)), `${file} → ${target}`).toBe(true);
      }
    }
  });
});
