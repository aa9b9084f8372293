/**
 * "New against the base" checks again only the files a change can affect (src/scan-base.ts). That is enough only
 * if it gives exactly what a full scan of the base would: a property test applies random changes (deletes,
 * edits, renames, additions) to a tree rich in cross-file rules (the demo fixture, every rule example that has
 * neighbour files, a Cargo workspace) and compares the novelty of every head finding both ways.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noveltyAgainstBase, type Novelty } from '../src/core/diff.js';
import type { Finding } from '../src/core/types.js';
import { rules } from '../src/rules/index.js';
import { scanFiles } from '../src/scan.js';
import { affectedPaths, discoverable, flaggedText, scanBase, type PathChange } from '../src/scan-base.js';
import { initTreeSitter } from '../src/parsers/tree-sitter.js';

// the demo's Terraform module parses with tree-sitter, which scanFiles (synchronous) expects loaded
await initTreeSitter();

type Tree = Map<string, string>;

function seedTree(): Tree {
  const tree: Tree = new Map();
  const demo = join(import.meta.dirname, '..', 'fixtures', 'demo');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else tree.set(relative(demo, abs).split('\\').join('/'), readFileSync(abs, 'utf8'));
    }
  };
  walk(demo);
  for (const r of rules) {
    [...r.examples.bad, ...r.examples.good].forEach((e, i) => {
      if (!e.files) return;
      const at = `examples/${r.id}-${i}`;
      tree.set(`${at}/${e.path}`, e.text);
      for (const [p, text] of Object.entries(e.files)) tree.set(`${at}/${p}`, text);
    });
  }
  tree.set('rust/Cargo.toml', '[workspace]\nmembers = ["crates/a"]\n');
  tree.set('rust/Cargo.lock', 'version = 3\n\n[[package]]\nname = "serde"\nversion = "1.0.200"\n');
  tree.set(
    'rust/crates/a/Cargo.toml',
    '[package]\nname = "a"\nversion = "0.1.0"\nworkspace = "../.."\n\n[dependencies]\nserde = "1"\n',
  );
  return tree;
}

const BASE = seedTree();
const PATHS = [...BASE.keys()].sort();
/** The rule examples alone (independent of the rest of the tree): quicker to scan for the per-neighbour checks. */
const EXAMPLES: Tree = new Map([...BASE].filter(([p]) => p.startsWith('examples/')));

interface Step {
  op: 'delete' | 'drop-line' | 'dup-line' | 'rename' | 'move' | 'copy';
  file: number;
  other: number;
  line: number;
}

/** Applies the steps; `origin` maps each head path to the base path its content came from (undefined: new). */
function mutate(steps: readonly Step[], base: Tree): { head: Tree; origin: Map<string, string | undefined> } {
  const head: Tree = new Map(base);
  const origin = new Map<string, string | undefined>([...base.keys()].map((p) => [p, p]));
  for (const s of steps) {
    const paths = [...head.keys()].sort();
    if (paths.length === 0) break;
    const p = paths[s.file % paths.length]!;
    const text = head.get(p)!;
    const lines = text.split('\n');
    const dirOf = (x: string) => (x.includes('/') ? x.slice(0, x.lastIndexOf('/')) : '');
    const dirs = [...new Set(paths.map(dirOf))].sort();
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (s.op === 'delete') {
      head.delete(p);
      origin.delete(p);
    } else if (s.op === 'drop-line' || s.op === 'dup-line') {
      const at = s.line % lines.length;
      head.set(
        p,
        (s.op === 'drop-line'
          ? [...lines.slice(0, at), ...lines.slice(at + 1)]
          : [...lines.slice(0, at + 1), ...lines.slice(at)]
        ).join('\n'),
      );
    } else {
      const dir = dirs[s.other % dirs.length]!;
      const target =
        s.op === 'rename'
          ? `${dirOf(p) ? `${dirOf(p)}/` : ''}renamed-${s.line % 3}-${name}`
          : `${dir ? `${dir}/` : ''}${name}`;
      if (head.has(target)) continue;
      head.set(target, text);
      origin.set(target, s.op === 'copy' ? undefined : origin.get(p));
      if (s.op !== 'copy') {
        head.delete(p);
        origin.delete(p);
      }
    }
  }
  return { head, origin };
}

/** The change as git would list it with rename detection: modified in place, renamed, added, deleted. */
function changesOf(base: Tree, head: Tree, origin: Map<string, string | undefined>): PathChange[] {
  const out: PathChange[] = [];
  const claimed = new Set<string>();
  for (const p of [...head.keys()].sort()) {
    if (base.has(p)) {
      if (origin.get(p) !== p || head.get(p) !== base.get(p)) out.push({ path: p, previous: p });
      continue;
    }
    const from = origin.get(p);
    if (from !== undefined && !head.has(from) && !claimed.has(from)) {
      claimed.add(from);
      out.push({ path: p, previous: from });
    } else out.push({ path: p });
  }
  for (const q of [...base.keys()].sort()) if (!head.has(q) && !claimed.has(q)) out.push({ previous: q });
  return out;
}

/** The base view in full: the head with the change undone (renamed files under their head names). */
function baseView(base: Tree, head: Tree, changes: readonly PathChange[]): Record<string, string> {
  const view = Object.fromEntries(head);
  for (const c of changes) {
    if (c.path !== undefined) delete view[c.path];
    if (c.path !== undefined && c.previous !== undefined) view[c.path] = base.get(c.previous)!;
    if (c.path === undefined && c.previous !== undefined) view[c.previous] = base.get(c.previous)!;
  }
  return view;
}

function bothWays(
  steps: readonly Step[],
  tree: Tree = BASE,
): {
  fast: Map<string, Novelty>;
  full: Map<string, Novelty>;
  rescanned: number;
  findings: Finding[];
} {
  const { head, origin } = mutate(steps, tree);
  const changes = changesOf(tree, head, origin);
  const headScan = scanFiles(Object.fromEntries(head));
  const headPaths = [...head.keys()].sort();
  const rescan = affectedPaths(changes, headPaths, headScan.findings);
  const readHead = (p: string) => head.get(p);
  const base = scanBase(headPaths, readHead, { changes, read: (q) => tree.get(q) }, rescan, {}, () => true);
  const fast = noveltyAgainstBase(headScan.findings, base.findings, rescan, {
    head: flaggedText(readHead),
    base: flaggedText(base.read),
  });
  const view = baseView(tree, head, changes);
  const fullBase = scanFiles(view).findings;
  const full = noveltyAgainstBase(headScan.findings, fullBase, new Set(headPaths), {
    head: flaggedText(readHead),
    base: flaggedText((p) => view[p]),
  });
  return { fast, full, rescanned: rescan.size, findings: headScan.findings };
}

const step = fc.record({
  op: fc.constantFrom<Step['op']>('delete', 'drop-line', 'dup-line', 'rename', 'move', 'copy'),
  file: fc.nat(),
  other: fc.nat(),
  line: fc.nat(),
});

describe('checking only the affected files gives the novelty a full scan of the base gives', () => {
  it('for random changes of a tree rich in cross-file rules', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 4 }), (steps) => {
        const { fast, full } = bothWays(steps);
        expect(Object.fromEntries(fast)).toEqual(Object.fromEntries(full));
      }),
      { numRuns: Number(process.env['PC_RUNS'] ?? 60) },
    );
  });

  it('for the changes that matter most: a lockfile, a workspace root, a .dockerignore, a Cargo root deleted or edited', () => {
    const pick = (path: string) => PATHS.indexOf(path);
    const cases: Step[][] = [
      [{ op: 'delete', file: pick('web/package-lock.json'), other: 0, line: 0 }],
      [{ op: 'drop-line', file: pick('web/package.json'), other: 0, line: 2 }],
      [{ op: 'delete', file: pick('services/payments/.dockerignore'), other: 0, line: 0 }],
      [{ op: 'delete', file: pick('rust/Cargo.toml'), other: 0, line: 0 }],
      [{ op: 'delete', file: pick('services/payments/package-lock.json'), other: 0, line: 0 }],
      // a Terraform module's locals and variable defaults are read by its other .tf files
      [{ op: 'delete', file: pick('deploy/terraform/variables.tf'), other: 0, line: 0 }],
      [{ op: 'drop-line', file: pick('deploy/terraform/variables.tf'), other: 0, line: 12 }],
    ];
    for (const steps of cases) {
      expect(steps[0]!.file).toBeGreaterThanOrEqual(0);
      const { fast, full, rescanned } = bothWays(steps);
      expect(Object.fromEntries(fast)).toEqual(Object.fromEntries(full));
      // …and far fewer files than the tree were checked again.
      expect(rescanned).toBeLessThan(PATHS.length / 2);
    }
    // Every neighbour a rule example names (the cross-file reads the rules make), deleted, emptied or edited.
    const examples = [...EXAMPLES.keys()].sort();
    for (const [i, path] of examples.entries()) {
      for (const op of ['delete', 'drop-line', 'dup-line'] as const) {
        const { fast, full } = bothWays([{ op, file: i, other: 0, line: 0 }], EXAMPLES);
        expect({ path, op, novelty: Object.fromEntries(fast) }).toEqual({
          path,
          op,
          novelty: Object.fromEntries(full),
        });
      }
    }
    // Deleting a lockfile makes a finding on a manifest line nobody touched: new.
    const { fast, findings } = bothWays([
      { op: 'delete', file: pick('services/payments/package-lock.json'), other: 0, line: 0 },
    ]);
    const missing = findings.find(
      (f) => f.ruleId === 'missing-lockfile' && f.path === 'services/payments/package.json',
    );
    expect(missing && fast.get(missing.fingerprint)).toBe('new');
  });
});

describe('affectedPaths', () => {
  const paths = [
    'Dockerfile',
    'a/.dockerignore',
    'a/Dockerfile',
    'a/b/package.json',
    'a/package-lock.json',
    'a/package.json',
    'c/Cargo.toml',
    'x/Cargo.toml',
    'z/ci.yml',
    'z/deep/package.json',
  ];

  it('the changed files, their folders, and the package files above and below a changed package file', () => {
    expect(
      [...affectedPaths([{ path: 'a/package-lock.json', previous: 'a/package-lock.json' }], paths, [])].sort(),
    ).toEqual(['a/.dockerignore', 'a/Dockerfile', 'a/b/package.json', 'a/package-lock.json', 'a/package.json']);
    const memberGone = paths.filter((p) => p !== 'a/b/package.json');
    expect([...affectedPaths([{ previous: 'a/b/package.json' }], memberGone, [])].sort()).toEqual([
      'a/package-lock.json',
      'a/package.json',
    ]);
    expect([...affectedPaths([{ path: 'a/.dockerignore', previous: 'a/.dockerignore' }], paths, [])].sort()).toEqual([
      'a/.dockerignore',
      'a/Dockerfile',
      'a/package-lock.json',
      'a/package.json',
    ]);
  });

  it('a .tf file affects the other .tf files of its folder (a module shares locals and variables)', () => {
    const tf = ['m/main.tf', 'm/variables.tf', 'm/README.md', 'n/main.tf'];
    expect([...affectedPaths([{ path: 'm/variables.tf', previous: 'm/variables.tf' }], tf, [])].sort()).toEqual(['m/README.md', 'm/main.tf', 'm/variables.tf']);
  });

  it('a file no rule reads beside another (a workflow, a source file) affects only itself', () => {
    expect([...affectedPaths([{ path: 'z/ci.yml', previous: 'z/ci.yml' }], paths, [])]).toEqual(['z/ci.yml']);
    expect([...affectedPaths([{ previous: 'a/Dockerfile' }], paths, [])]).toEqual([]);
  });

  it('any Cargo manifest when a Cargo.toml changes (package.workspace may point anywhere); files whose findings relate to a changed file', () => {
    expect([...affectedPaths([{ path: 'c/Cargo.toml', previous: 'c/Cargo.toml' }], paths, [])].sort()).toEqual([
      'c/Cargo.toml',
      'x/Cargo.toml',
    ]);
    const related: Finding = {
      ruleId: 'r',
      severity: 'high',
      confidence: 'high',
      message: '',
      path: 'Dockerfile',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      fingerprint: 'f',
      related: [{ path: 'z/ci.yml', at: { line: 3, column: 1, endLine: 3, endColumn: 2 }, label: 'built by' }],
    };
    expect([...affectedPaths([{ path: 'z/ci.yml', previous: 'z/ci.yml' }], paths, [related])].sort()).toEqual([
      'Dockerfile',
      'z/ci.yml',
    ]);
  });
});

describe('discoverable', () => {
  it('applies the skipped folders and the exclude globs as discovery does', () => {
    const listable = discoverable(['legacy', '**/*.lock']);
    expect(listable('web/package-lock.json')).toBe(true);
    expect(listable('node_modules/x/package.json')).toBe(false);
    expect(listable('a/vendor/Dockerfile')).toBe(false);
    expect(listable('legacy/Dockerfile')).toBe(false);
    expect(listable('a/yarn.lock')).toBe(false);
  });
});
