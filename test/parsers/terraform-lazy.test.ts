// The HCL grammar costs nothing to a tree without .tf files: the runtime loads only when some file may be parsed,
// the Terraform grammar only on the first .tf parse. This file's module state starts with nothing loaded (vitest
// isolates test files), so the order of the tests below is the order of the loads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadedGrammars, treeSitterReady } from '../../src/parsers/tree-sitter.js';
import { scanDirectory, scanFiles } from '../../src/scan.js';

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'portcullis-tf-'));
  dirs.push(root);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const TF = 'resource "aws_db_instance" "a" {\n  publicly_accessible = true\n}\n';

describe('lazy loading of the Terraform grammar', () => {
  it('a synchronous scan before the runtime is loaded says the .tf file was not checked (a notice, never silence)', () => {
    expect(treeSitterReady()).toBe(false);
    const r = scanFiles({ 'main.tf': TF });
    expect(r.notices).toContainEqual(expect.objectContaining({ path: 'main.tf', message: expect.stringMatching(/not checked as Terraform: the HCL parser is not loaded/) }));
  });

  it('a tree without .tf files loads neither the runtime nor the grammar', async () => {
    await scanDirectory(tree({ Dockerfile: 'FROM node:22\nUSER node\n', 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n' }));
    expect(treeSitterReady()).toBe(false);
    expect(loadedGrammars()).toEqual([]);
  });

  it('a tree with a .tf file loads them and checks it', async () => {
    const r = await scanDirectory(tree({ 'infra/main.tf': TF }));
    expect(loadedGrammars()).toContain('terraform');
    expect(r.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`)).toContain('public-database infra/main.tf:2');
  });
});
