import { describe, expect, it } from 'vitest';
import { shellScripts } from '../../src/analysis/scripts.js';
import { parseShell } from '../../src/analysis/shell.js';
import { classify, kindsOfText, makeUnit } from '../../src/parsers/index.js';
import { makefileRecipes } from '../../src/parsers/makefile.js';
import { parseShellDoc, shebangInterpreter } from '../../src/parsers/shell-doc.js';
import { scanFiles } from '../../src/scan.js';

const commands = (script: string) => parseShell(script).commands.map((c) => c.argv.join(' '));

describe('shell documents', () => {
  it('knows shell scripts and Makefiles by name', () => {
    for (const p of ['install.sh', 'scripts/ci.bash', 'a/b.ksh', 'x.zsh', 'Makefile', 'sub/makefile', 'GNUmakefile', 'rules.mk'])
      expect(classify(p), p).toContain('shell');
    for (const p of ['install.sh.tmpl', 'ship.py', 'Makefile.am', 'script', 'logo.png']) expect(classify(p), p).not.toContain('shell');
  });

  it('knows a script by its shebang, read from the text already read', () => {
    for (const line of ['#!/bin/sh', '#!/bin/bash -e', '#! /usr/bin/env bash', '#!/usr/bin/env -S bash -eu', '#!/bin/env sh -e', '#!/bin/dash'])
      expect(kindsOfText(['text'], `${line}\necho hi\n`), line).toEqual(['text', 'shell']);
    for (const text of ['#!/usr/bin/env python3\n', '#!/usr/bin/node\n', 'echo #!/bin/sh\n', '\n#!/bin/sh\n'])
      expect(kindsOfText(['text'], text), text).toEqual(['text']);
    expect(shebangInterpreter('#!/usr/bin/env FOO=1 zsh -f\n')).toBe('zsh');
    // a BOM before the shebang is dropped before the kinds are decided
    expect(makeUnit('bin/setup', '\uFEFF#!/bin/bash\ncurl x | sh\n', []).kinds).toContain('shell');
  });

  it('reads a `.sh` file whose shebang names another interpreter, and a Makefile whose SHELL is one, as no script', () => {
    expect(parseShellDoc('tool.sh', '#!/usr/bin/env python3\nimport os\n', []).sources).toEqual([]);
    expect(parseShellDoc('Makefile', 'SHELL := /usr/bin/env python3\nall:\n\tprint("curl x | sh")\n', []).sources).toEqual([]);
    expect(parseShellDoc('Makefile', 'SHELL := /bin/bash -o pipefail\nall:\n\tcurl x | sh\n', []).sources).toHaveLength(1);
    expect(parseShellDoc('Makefile', 'SHELL = $(BASH)\nall:\n\techo\n', []).sources).toHaveLength(1);
  });
});

describe('Makefile recipes', () => {
  it('gives one command line per recipe line, without @ - + prefixes, $$ as $, make variables as one word', () => {
    const text = 'CC ?= gcc\n.PHONY: all\nall: build\n\t@echo "building $(CC)"\n\t-@curl -fsSL $(URL) | sh\n\t+$(MAKE) -C sub\n\tfor f in *.c; do echo $$f; done\n';
    const recipes = makefileRecipes(text);
    expect(recipes.map((r) => r.script)).toEqual(['echo "building ${CC}"', 'curl -fsSL ${URL} | sh', '${MAKE} -C sub', 'for f in *.c; do echo $f; done']);
    expect(new Set(recipes.map((r) => r.sequence))).toEqual(new Set(['make:3']));
    expect(commands(recipes[1]!.script)).toEqual(['curl -fsSL $URL', 'sh']);
    // columns point into the Makefile: `curl` is at column 4 of line 5 (after the tab and `-@`)
    expect([recipes[1]!.line(0), recipes[1]!.column(0, 0)]).toEqual([5, 4]);
    expect(recipes[3]!.column(0, 'for f in *.c; do echo $'.length)).toBe(2 + 'for f in *.c; do echo $$'.length);
  });

  it('keeps a continued recipe line one command line, the next line’s tab dropped, `\\` left for the shell', () => {
    const recipes = makefileRecipes('setup:\n\tcurl -fsSL https://x.example/i.sh \\\n\t  | bash -s -- \\\n\t  --yes\n\techo done\n');
    expect(recipes.map((r) => r.script)).toEqual(['curl -fsSL https://x.example/i.sh \\\n  | bash -s -- \\\n  --yes', 'echo done']);
    expect(commands(recipes[0]!.script)).toEqual(['curl -fsSL https://x.example/i.sh', 'bash -s -- --yes']);
    expect([recipes[0]!.line(1), recipes[0]!.column(1, 2)]).toEqual([3, 4]);
  });

  it('makes each rule one script under .ONESHELL', () => {
    const recipes = makefileRecipes('.ONESHELL:\nfetch:\n\t@cd /tmp\n\tcurl -o i.sh https://x.example/i.sh\n\tsh i.sh\nother:\n\techo hi\n');
    expect(recipes.map((r) => r.script)).toEqual(['cd /tmp\ncurl -o i.sh https://x.example/i.sh\nsh i.sh', 'echo hi']);
  });

  it('reads inline recipes, conditionals and .RECIPEPREFIX; skips define bodies, assignments and target variables', () => {
    const text =
      'define INSTALL\n\tcurl -fsSL https://x.example | sh\nendef\n' +
      'VERSION := 1.0\nprod: VERSION = 2.0\n\tcurl bad | sh\n' +
      'lint: ; golangci-lint run\n' +
      'test:\n\tgo test ./...\nifeq ($(CI),true)\n\tgo vet ./...\nendif\n\n# comment\n\techo still test\n' +
      '.RECIPEPREFIX = >\nrel:\n>echo release\n';
    expect(makefileRecipes(text).map((r) => r.script)).toEqual(['golangci-lint run', 'go test ./...', 'go vet ./...', 'echo still test', 'echo release']);
  });

  it('points findings at the recipe line in the Makefile', () => {
    const { findings } = scanFiles({ Makefile: 'tools:\n\t@echo installing\n\t@curl -fsSL https://get.example.com/i.sh | bash\n\tpip install --root-user-action ignore black\n' });
    const at = findings.map((f) => `${f.ruleId}@${f.line}:${f.column}-${f.endColumn}`);
    expect(at).toContain('curl-pipe-shell@3:2-49');
    expect(at).toContain('non-frozen-install@4:2-45');
  });

  it('builds one block per source with the way back to the file', () => {
    const doc = parseShellDoc('scripts/a.sh', '#!/bin/sh\necho a\n  curl x | sh\n', []);
    const [block] = shellScripts(doc);
    expect(block!.lineSpan(2)).toEqual({ line: 3, column: 3, endLine: 3, endColumn: 14 });
    expect(block!.at!(2, 2)).toEqual({ line: 3, column: 3 });
  });
});

describe('shell documents on hostile input', () => {
  it('joins 100,000 continued Makefile lines once (each physical line copied once)', () => {
    const recipes = makefileRecipes(`A = x \\\n${'  y \\\n'.repeat(100_000)}  z\nall:\n\tcurl -fsSL https://x.example/i.sh | sh\n`);
    expect(recipes.map((r) => r.script)).toEqual(['curl -fsSL https://x.example/i.sh | sh']);
    expect(recipes[0]!.line(0)).toBe(100_004);
  });

  it('reads a 20,000-line script with every shell rule, finding what its last line does', () => {
    const { findings } = scanFiles({ 'big.sh': `#!/bin/sh\n${'if true; then yum install -y x; fi\n'.repeat(20_000)}curl -fsSL https://x.example/i.sh | sh\n` });
    expect(findings.filter((f) => f.ruleId === 'curl-pipe-shell').map((f) => f.line)).toEqual([20_002]);
  });
});
