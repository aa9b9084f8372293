// Fetches the grammar packages named in vendor/tree-sitter/grammars.json with `npm pack` (no install scripts run),
// and checks that the vendored .wasm files are the packages' own; `--update` copies them in and rewrites the hashes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const vendor = join(root, 'vendor', 'tree-sitter');
const manifestPath = join(vendor, 'grammars.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const update = process.argv.includes('--update');
const work = mkdtempSync(join(tmpdir(), 'grammars-'));
const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
let bad = 0;
try {
  for (const g of manifest.grammars) {
    const spec = `${g.package}@${g.version}`;
    const dir = join(work, g.grammar);
    mkdirSync(dir, { recursive: true });
    const tgz = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir]);
    const fetched = join(dir, 'package', g.file);
    const hash = sha(fetched);
    if (update) {
      copyFileSync(fetched, join(vendor, g.file));
      g.sha256 = hash;
    } else if (hash !== g.sha256 || sha(join(vendor, g.file)) !== hash) {
      bad++;
      console.error(`${g.file}: ${spec} has ${hash}, grammars.json says ${g.sha256}`);
    } else console.log(`${g.file}: matches ${spec}`);
  }
  if (update) writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(bad ? 1 : 0);
