import { describe, expect, it } from 'vitest';
import { scanFiles } from '../../src/scan.js';
import { findRule } from '../../src/rules/index.js';

const wf = (run: string) => `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${run.split('\n').map((l) => `          ${l}`).join('\n')}\n`;
const lines = (id: string, files: Record<string, string>) =>
  scanFiles(files, { rules: [findRule(id)!] }).findings.map((f) => `${f.path}:${f.line}`);

describe('curl-pipe-shell', () => {
  const at = (files: Record<string, string>) => lines('curl-pipe-shell', files);
  it('reports pipes into interpreters through wrappers, process and command substitution', () => {
    expect(at({ '.github/workflows/a.yml': wf('curl -fsSL https://x.dev/i | sudo -E bash -s -- --yes\nsource <(wget -qO- https://x.dev/env)\neval "$(curl -s https://x.dev/e)"\nwget -O- https://x.dev/p | python3 -') })).toEqual([
      '.github/workflows/a.yml:7', '.github/workflows/a.yml:8', '.github/workflows/a.yml:9', '.github/workflows/a.yml:10',
    ]);
  });
  it('ignores interpreters that read code from an argument, not from the download', () => {
    expect(at({ '.github/workflows/a.yml': wf('curl -s https://api.x.dev | python3 -c "import json,sys"\ncurl -s https://x.dev | jq . | node -e "1"\nbash ./local.sh') })).toEqual([]);
  });
  it('follows a downloaded file to its execution across steps, unless a checksum is checked in between', () => {
    const two = 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsSLo i.sh https://x.dev/i.sh\n      - run: bash i.sh\n';
    expect(at({ '.github/workflows/a.yml': two })).toEqual(['.github/workflows/a.yml:7']);
    expect(at({ '.github/workflows/a.yml': wf('curl -fsSLo i.sh https://x.dev/i.sh\nsha256sum -c i.sh.sha256\nbash i.sh') })).toEqual([]);
    expect(at({ '.github/workflows/a.yml': wf('curl -fsSL https://raw.githubusercontent.com/o/r/0123456789abcdef0123456789abcdef01234567/i.sh | sh') })).toEqual([]);
  });
  it('reads exec-form and heredoc RUNs, but not a heredoc fed to python or exec-form words after &&', () => {
    const df = 'FROM alpine:3.20\nRUN ["sh", "-c", "curl -s https://x.dev | sh"]\nRUN ["echo", "&&", "curl", "https://x.dev", "|", "sh"]\n' +
      'RUN python3 <<EOF\nimport os\nos.system("curl https://x.dev | sh")\nEOF\nRUN <<EOF\nset -e\nwget -qO- https://x.dev | sh\nEOF\n';
    expect(at({ Dockerfile: df })).toEqual(['Dockerfile:2', 'Dockerfile:10']);
  });
});

describe('non-frozen-install', () => {
  const at = (files: Record<string, string>) => lines('non-frozen-install', files);
  it('reports unfrozen lockfile installs and unpinned ad-hoc installs', () => {
    expect(at({ '.github/workflows/a.yml': wf('npm install\nyarn\npnpm i\nbun install\npip install requests\ngo install x.dev/t@latest\ngem install rake\nnpm i -g foo@^1') })).toHaveLength(7); // all but `pnpm i`, which pnpm freezes itself on a runner (CI=true)
  });
  it('accepts frozen installs, exact pins, local paths and hashes', () => {
    const ok = 'npm ci\nyarn install --immutable\nyarn --frozen-lockfile\nyarn build\nyarn -s semantic-release\npnpm install --frozen-lockfile\nbun install --frozen-lockfile\n' +
      'pip install foo==1.2.3 -e .\npip install --require-hashes -r req.txt\npython -m pip install ./pkg\nnpm install -g foo@1.2.3\ngo install x.dev/t@v1.2.3\ngo install ./...\ngem install rake -v 13.0.6\nnpm run build';
    expect(at({ '.github/workflows/a.yml': wf(ok) })).toEqual([]);
  });
  it('points at the install command itself inside a continued RUN', () => {
    const df = 'FROM python:3.12\nRUN apt-get update && \\\n    pip install flask\n';
    const f = scanFiles({ Dockerfile: df }, { rules: [findRule('non-frozen-install')!] }).findings[0]!;
    expect([f.line, f.column, f.endLine, f.endColumn]).toEqual([3, 5, 3, 22]);
  });
});
