/**
 * Every flow the Python analyser finds in some checked-out repositories, as TSV for judging by hand:
 *
 *   npx tsx bench/realworld/python-flows.ts DIR... > flows.tsv
 *
 * Each DIR is one repository (its base name is the `repo` column). Columns: repo, path, line, rule, callee, source
 * (the source's label, or `-`), severity as the rules grade the evidence (a flow from a source: critical for code and
 * command injection, high for deserialization; no source: low), the path's file context, whether it would block by
 * default (production context and a source), the steps, and empty `verdict` and `why` columns.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { analysePython } from '../../src/analysis/code/python.js';
import { pathContext } from '../../src/core/context.js';
import { initTreeSitter, withTree } from '../../src/parsers/tree-sitter.js';

function* pythonFiles(dir: string): Generator<string> {
  const pending = [dir];
  while (pending.length > 0) {
    const d = pending.pop()!;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory() && name !== '.git' && name !== 'node_modules') pending.push(p);
      else if (st?.isFile() && name.endsWith('.py')) yield p;
    }
  }
}

await initTreeSitter();
const rows: string[] = [['repo', 'path', 'line', 'rule', 'callee', 'source', 'severity', 'context', 'blocking', 'steps', 'verdict', 'why'].join('\t')];
let files = 0;
const started = Date.now();
for (const dir of process.argv.slice(2)) {
  for (const file of [...pythonFiles(dir)].sort()) {
    files++;
    const path = relative(dir, file);
    const out = withTree('python', readFileSync(file, 'utf8'), (tree) => analysePython(tree.rootNode));
    if (!out.ok) {
      rows.push([basename(dir), path, '-', '-', '-', '-', '-', '-', '-', `not analysed: ${out.reason}`, '', ''].join('\t'));
      continue;
    }
    for (const f of out.value) {
      const severity = !f.source ? 'low' : f.rule === 'unsafe-deserialization' ? 'high' : 'critical';
      const context = pathContext(path);
      const blocking = Boolean(f.source) && context === 'production';
      const steps = f.steps.map((s) => s.label).join(' → ');
      rows.push([basename(dir), path, f.sink.at.line, f.rule, f.sink.callee, f.source?.label ?? '-', severity, context, blocking, steps, '', ''].join('\t'));
    }
  }
}
process.stdout.write(`${rows.join('\n')}\n`);
console.error(`${files} Python files, ${rows.length - 1} flows, ${Date.now() - started} ms`);
