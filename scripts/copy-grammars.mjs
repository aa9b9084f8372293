// Copies the tree-sitter runtime and the vendored grammars next to the bundles (dist/tree-sitter/), after
// checking each grammar against the hash in vendor/tree-sitter/grammars.json: the bundle loads them at run time.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const vendor = join(root, 'vendor', 'tree-sitter');
const out = join(root, 'dist', 'tree-sitter');
const { grammars } = JSON.parse(readFileSync(join(vendor, 'grammars.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const g of grammars) {
  const bytes = readFileSync(join(vendor, g.file));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== g.sha256) throw new Error(`copy-grammars: ${g.file} does not match grammars.json (${sha})`);
  copyFileSync(join(vendor, g.file), join(out, g.file));
}
copyFileSync(join(root, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm'), join(out, 'web-tree-sitter.wasm'));
copyFileSync(join(vendor, 'LICENSES.md'), join(out, 'LICENSES.md'));
console.log(`copy-grammars: dist/tree-sitter (${grammars.length} grammars and the runtime)`);
