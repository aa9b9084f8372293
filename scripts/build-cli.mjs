// Builds the CLI bundle: ncc writes src/cli.ts with all its dependencies into a scratch folder,
// and this script moves it to dist/cli.js (+ source map), executable, so that a fresh clone runs
// `node dist/cli.js` without `npm ci`. The action bundle (dist/index.js) is built by its own ncc call.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const tmp = join(root, 'build', 'cli-bundle');
const dist = join(root, 'dist');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

rmSync(tmp, { recursive: true, force: true });
execFileSync(process.execPath, [ncc, 'build', 'src/cli.ts', '-o', tmp, '--source-map', '--no-source-map-register', '--license', 'licenses.txt', '--quiet'], {
  cwd: root,
  stdio: 'inherit',
});

const emitted = readdirSync(tmp).sort();
const expected = ['index.js', 'index.js.map', 'licenses.txt', 'package.json'];
const extra = emitted.filter((f) => !expected.includes(f));
if (extra.length > 0) throw new Error(`build-cli: ncc emitted files the CLI bundle would not carry: ${extra.join(', ')}`);

mkdirSync(dist, { recursive: true });
let code = readFileSync(join(tmp, 'index.js'), 'utf8');
if (!code.startsWith('#!')) code = `#!/usr/bin/env node\n${code}`;
code = code.replace(/\/\/# sourceMappingURL=index\.js\.map\s*$/, '//# sourceMappingURL=cli.js.map\n');
const map = JSON.parse(readFileSync(join(tmp, 'index.js.map'), 'utf8'));
map.file = 'cli.js';
// A leading shebang line shifts nothing ncc mapped only if ncc wrote it; otherwise add one empty mapping line.
if (!readFileSync(join(tmp, 'index.js'), 'utf8').startsWith('#!')) map.mappings = `;${map.mappings}`;

writeFileSync(join(dist, 'cli.js'), code);
chmodSync(join(dist, 'cli.js'), 0o755);
writeFileSync(join(dist, 'cli.js.map'), JSON.stringify(map));
writeFileSync(join(dist, 'cli-licenses.txt'), readFileSync(join(tmp, 'licenses.txt')));
// The action build writes this too; the CLI alone (before src/index.ts exists) needs it to load as ESM.
if (!existsSync(join(dist, 'package.json'))) writeFileSync(join(dist, 'package.json'), '{"type":"module"}');
rmSync(tmp, { recursive: true, force: true });
console.log(`build-cli: dist/cli.js (${(code.length / 1024).toFixed(0)} KiB)`);
