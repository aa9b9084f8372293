// Scores a full scan against the generator's manifest of planted issues and decoys:
// per kind, how many planted issues the gate reports on their line (recall) and how many decoys it
// reports (false alarms). Usage: npx tsx bench/score-manifest.ts bench/out/scale-1
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanDirectory } from '../src/scan.js';

/** Generator kinds → the rule ids that report that concept. */
const RULES: Record<string, string[]> = {
  'unpinned-image': ['latest-image-tag', 'unpinned-image'],
  'latest-tag': ['latest-image-tag'],
  'secret-in-env': ['secret-in-env', 'hardcoded-secret', 'hardcoded-credential', 'committed-dotenv'],
  'root-user': ['runs-as-root'],
  'missing-lockfile': ['missing-lockfile'],
  'unpinned-action': ['unpinned-action', 'unpinned-image', 'latest-image-tag'],
  'script-injection': ['template-injection'],
  'pr-target-checkout': ['untrusted-checkout'],
  'write-all-permissions': ['excessive-permissions'],
  'hardcoded-secret': ['hardcoded-secret', 'secret-in-env', 'hardcoded-credential', 'committed-dotenv'],
  'lockfile-untrusted-url': ['lockfile-insecure-source'],
};

interface Entry { kind?: string; looks_like?: string; file: string; line: number }
const dir = process.argv[2] ?? 'bench/out/scale-1';
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { issues: Entry[]; decoys: Entry[] };
const result = await scanDirectory(dir);
const at = new Map<string, Set<string>>();
for (const f of result.findings) for (let l = f.line; l <= f.endLine; l++) {
  const k = `${f.path}:${l}`;
  if (!at.has(k)) at.set(k, new Set());
  at.get(k)!.add(f.ruleId);
}
// The generator records a missing lockfile on line 1 of the manifest; the rule points at the dependency list that
// needs one, so for that kind any line of the file counts.
const byFile = new Map<string, Set<string>>();
for (const f of result.findings) (byFile.get(f.path) ?? byFile.set(f.path, new Set()).get(f.path)!).add(f.ruleId);
const hit = (e: Entry, kind: string) =>
  (RULES[kind] ?? []).some((id) => (kind === 'missing-lockfile' ? byFile.get(e.file) : at.get(`${e.file}:${e.line}`))?.has(id));
const rows = new Map<string, { planted: number; found: number; decoys: number; alarms: number }>();
const row = (k: string) => rows.get(k) ?? rows.set(k, { planted: 0, found: 0, decoys: 0, alarms: 0 }).get(k)!;
for (const e of manifest.issues) { const r = row(e.kind!); r.planted++; if (hit(e, e.kind!)) r.found++; }
for (const e of manifest.decoys) { const r = row(e.looks_like!); r.decoys++; if (hit(e, e.looks_like!)) r.alarms++; }
console.log(`| kind | planted | found | recall | decoys | reported decoys |\n| --- | ---: | ---: | ---: | ---: | ---: |`);
for (const [k, r] of [...rows].sort()) console.log(`| ${k} | ${r.planted} | ${r.found} | ${r.planted ? ((100 * r.found) / r.planted).toFixed(0) + '%' : '-'} | ${r.decoys} | ${r.alarms} |`);
console.log(`\n${result.findings.length} findings in ${result.stats.filesRead} files`);
if (process.argv.includes('--list')) {
  for (const e of manifest.decoys) if (hit(e, e.looks_like!)) console.log(`decoy reported: ${e.looks_like} ${e.file}:${e.line} ${[...(at.get(`${e.file}:${e.line}`) ?? [])].join(',')} (${(e as { reason?: string }).reason})`);
}
