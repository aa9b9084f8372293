// A synthetic package-lock.json (lockfileVersion 3) of a given size, shaped like npm's own output:
// 2-space indentation, hoisted and nested installs, scoped names, dev flags, install scripts, links.
// Deterministic (fixed seed). The registry base URL is a parameter: callers pass a made-up host or
// npm's configured registry, so no registry host is written here.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['core', 'util', 'parse', 'fast', 'tiny', 'glob', 'path', 'stream', 'color', 'json', 'http', 'config', 'debug', 'lodash', 'string', 'array', 'object', 'event', 'async', 'type'];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function genPackageLock(targetBytes: number, registry: string, seed = 42): string {
  // The size estimate runs a little short: grow the target until the text reaches it.
  for (let goal = Math.ceil(targetBytes * 1.03); ; goal = Math.ceil(goal * 1.03)) {
    const text = generate(goal, registry, seed);
    if (text.length >= targetBytes) return text;
  }
}

function generate(targetBytes: number, registry: string, seed: number): string {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const hash = (n: number): string => {
    let out = '';
    for (let k = 0; k < n; k++) out += B64[Math.floor(rand() * 64)];
    return out;
  };
  const base = registry.replace(/\/+$/, '');
  const packages: Record<string, unknown> = { '': { name: 'bench-app', version: '1.0.0', dependencies: {} as Record<string, string> } };
  const names: string[] = [];
  let size = 200;
  let i = 0;
  while (size < targetBytes) {
    const scoped = rand() < 0.2;
    const name = `${scoped ? `@${pick(WORDS)}/` : ''}${pick(WORDS)}-${pick(WORDS)}-${i}`;
    const version = `${Math.floor(rand() * 10)}.${Math.floor(rand() * 30)}.${Math.floor(rand() * 20)}`;
    const parent = names.length > 0 && rand() < 0.3 ? pick(names) : undefined;
    const key = parent ? `node_modules/${parent}/node_modules/${name}` : `node_modules/${name}`;
    const deps: Record<string, string> = {};
    for (let d = Math.floor(rand() * 4); d > 0 && names.length > 0; d--) deps[pick(names)] = `^${Math.floor(rand() * 5)}.0.0`;
    const entry: Record<string, unknown> = {
      version,
      resolved: `${base}/${name}/-/${name.replace(/^@[^/]+\//, '')}-${version}.tgz`,
      integrity: `sha512-${hash(86)}==`,
    };
    if (rand() < 0.4) entry.dev = true;
    if (rand() < 0.02) entry.hasInstallScript = true;
    if (Object.keys(deps).length > 0) entry.dependencies = deps;
    if (rand() < 0.3) entry.engines = { node: '>=14' };
    entry.license = 'MIT';
    packages[key] = entry;
    if (!parent) names.push(name);
    if (!parent && rand() < 0.1) (packages[''] as { dependencies: Record<string, string> }).dependencies[name] = `^${version}`;
    size += key.length + JSON.stringify(entry, null, 2).length + 8 * (Object.keys(entry).length + 2);
    i++;
  }
  return `${JSON.stringify({ name: 'bench-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}
