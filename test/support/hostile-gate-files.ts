// Hostile config and baseline texts shared by the CLI and action tests of the gate's own files.

/** Planted in files outside the workspace and in the environment: it must appear in no message. */
export const MARKER = 'PCMARKER7f3a9c';

/** "Billion laughs": ten levels, each a list of nine aliases to the level before (9^10 leaves when expanded). */
export function aliasBomb(levels = 10): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push(`rules: *a${levels - 1}`);
  return `${lines.join('\n')}\n`;
}

/** A config value nested `depth` flow lists deep. */
export const deepYaml = (depth: number): string => `rules: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;

/** A baseline whose one entry's context is nested `depth` arrays deep. */
export const deepJsonBaseline = (depth: number): string =>
  `{"version":1,"generated":"","findings":[{"fingerprint":"f","ruleId":"r","path":"p","context":${'['.repeat(depth)}${']'.repeat(depth)}}]}\n`;

/** A valid config just over 1 MiB (a long comment). */
export const OVER_ONE_MIB = `# ${'x'.repeat(1024 * 1024)}\nfail-on: high\n`;
