import { describe, expect, it } from 'vitest';
import { GRAMMARS, initTreeSitter, loadedGrammars, MAX_PARSE_BYTES, treeSitterReady, withTree } from '../../src/parsers/tree-sitter.js';

const samples: Record<(typeof GRAMMARS)[number], string> = {
  python: 'import os\nos.system("ls " + request.args["d"])\n',
  javascript: 'exec(`ls ${req.query.d}`);\n',
  typescript: 'const n: number = <number>x;\n',
  tsx: 'const A = () => <div>{x}</div>;\n',
  terraform: 'resource "aws_security_group" "a" {\n  ingress {\n    from_port = 22\n  }\n}\n',
};

describe('tree-sitter runtime', () => {
  it('parses nothing before the runtime is loaded, and loads grammars only on first use', async () => {
    expect(treeSitterReady()).toBe(false);
    expect(withTree('python', 'x = 1\n', () => 1)).toEqual({ ok: false, reason: 'not-ready' });
    await initTreeSitter();
    expect(treeSitterReady()).toBe(true);
    expect(loadedGrammars()).toEqual([]);
    withTree('python', 'x = 1\n', () => 1);
    expect(loadedGrammars()).toEqual(['python']);
  });

  it('parses every vendored grammar without errors', async () => {
    await initTreeSitter();
    for (const grammar of GRAMMARS) {
      const out = withTree(grammar, samples[grammar], (tree) => ({ type: tree.rootNode.type, error: tree.rootNode.hasError }));
      expect(out, grammar).toMatchObject({ ok: true, value: { error: false } });
    }
  });

  it('recovers from bad input: syntax errors become ERROR nodes, deep nesting parses, big files are declined', async () => {
    await initTreeSitter();
    const broken = withTree('javascript', 'function (( {\n', (tree) => tree.rootNode.hasError);
    expect(broken).toEqual({ ok: true, value: true });
    const deep = `x = ${'('.repeat(20_000)}1${')'.repeat(20_000)}\n`;
    expect(withTree('python', deep, (tree) => tree.rootNode.type)).toEqual({ ok: true, value: 'module' });
    expect(withTree('python', 'x'.repeat(MAX_PARSE_BYTES + 1), () => 1)).toEqual({ ok: false, reason: 'too-large' });
  });
});

describe('which files load the runtime', () => {
  it('maps source and Terraform extensions to grammars, and nothing else', async () => {
    const { grammarForPath } = await import('../../src/parsers/tree-sitter.js');
    expect(['a.py', 'b/c.mjs', 'x.CJS', 'y.jsx', 'z.ts', 'm.mts', 'n.cts', 'v.tsx', 'main.tf'].map(grammarForPath)).toEqual([
      'python', 'javascript', 'javascript', 'javascript', 'typescript', 'typescript', 'typescript', 'tsx', 'terraform',
    ]);
    expect(['Dockerfile', 'a.py/README', 'x.json', 'y.tfvars', 'z.d', '.ts/x'].map(grammarForPath)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
