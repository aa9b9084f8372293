import { describe, expect, it } from 'vitest';
import { installedPackages } from '../../src/analysis/dependencies.js';
import { installArgs, isLocalOperand, optionValues } from '../../src/analysis/install-args.js';
import { unfrozenInstall } from '../../src/analysis/installs.js';
import { parseShell } from '../../src/analysis/shell.js';

const argv = (line: string) => parseShell(line).commands[0]!.argv;

describe('install options, tool by tool (each tool’s documented options that take a value)', () => {
  // [tool, words after the subcommand, operands]
  const cases: [string, string, string[]][] = [
    ['pip', '--root-user-action ignore poetry==1.8.5', ['poetry==1.8.5']],
    ['pip', '-r requirements.txt -c constraints.txt --index-url https://mirror.example/simple flask', ['flask']],
    ['pip', '-rrequirements.txt --target=/opt/lib -t /opt/x --progress-bar off --no-cache-dir six', ['six']],
    ['pip', '--platform manylinux2014_x86_64 --python-version 3.12 --only-binary :all: --no-deps numpy', ['numpy']],
    ['pip', '-C editable_mode=compat --config-settings k=v --trusted-host mirror.example --timeout 60 requests', ['requests']],
    ['pip', '-q -U --user --break-system-packages black', ['black']],
    ['npm', '--loglevel verbose sax@0.1.1', ['sax@0.1.1']],
    ['npm', '-g --prefix /usr/local --registry https://r.example/ --omit dev --workspace=app -w pkg typescript', ['typescript']],
    ['npm', '--save-exact --no-audit --fetch-retries 5 --cache /tmp/c left-pad@1.3.0', ['left-pad@1.3.0']],
    ['yarn', '--cwd packages/app --network-timeout 100000 --dev react', ['react']],
    ['pnpm', '--filter web --dir apps -D -F api vitest', ['vitest']],
    ['bun', '--cwd app --registry https://r.example/ -d zod', ['zod']],
    ['pipx', '--python python3.12 --pip-args "--no-cache-dir" --suffix @2 black', ['black']],
    ['gem', '-v 2.4.1 --no-document --source https://gems.example bundler', ['bundler']],
    ['gem', '-N -i /opt/gems --bindir /usr/local/bin rake', ['rake']],
    ['apt-get', '-y -o Dpkg::Options::=--force-confold -t bookworm-backports --no-install-recommends curl', ['curl']],
    ['apk', '--no-cache --virtual .build-deps -X https://dl.example/edge/main gcc musl-dev', ['gcc', 'musl-dev']],
    ['dnf', '-y --setopt=install_weak_deps=False --enablerepo crb --exclude kernel* -x foo git', ['git']],
    ['yum', '--disablerepo "*" --enablerepo base --setopt tsflags=nodocs -d 0 make', ['make']],
    ['cargo', '--version 0.9.1 --locked --root /usr/local --features cli -j 2 just', ['just']],
    ['go', '-tags netgo -ldflags "-s -w" -mod=mod -C tools golang.org/x/tools/cmd/goimports@v0.24.0', ['golang.org/x/tools/cmd/goimports@v0.24.0']],
    ['choco', '--version 3.30.0 -s https://choco.example -y cmake', ['cmake']],
    ['poetry', '--group dev -E extra --source private pytest', ['pytest']],
    ['uv', '--group lint --index https://i.example/simple --dev ruff', ['ruff']],
    ['pdm', '-G test -p . --dev pytest', ['pytest']],
    ['npm', '-- --weird-name', ['--weird-name']],
  ];
  it.each(cases)('%s %s', (tool, words, operands) => {
    expect(installArgs(tool, argv(`x ${words}`).slice(1)).operands).toEqual(operands);
  });

  it('keeps the values of the options a rule asks about', () => {
    const a = installArgs('cargo', ['--git', 'https://git.example/t', '--rev', 'abc', 'tool']);
    expect(optionValues(a, '--git')).toEqual(['https://git.example/t']);
    expect(optionValues(installArgs('pip', ['-rreq.txt', '--requirement=dev.txt']), '-r', '--requirement')).toEqual(['req.txt', 'dev.txt']);
  });

  it('does not run past the end on an option missing its value', () => {
    expect(installArgs('pip', ['--index-url'])).toEqual({ operands: [], options: [['--index-url', '']] });
    expect(installArgs('unknown-tool', ['--x', 'y'])).toEqual({ operands: ['y'], options: [['--x', '']] });
  });
});

describe('local paths and archives are not registry packages', () => {
  it.each(['./pkg', '../pkg', '.', '/opt/pkg', '~/pkg', 'file:../x', 'package-v1.2.3.tar', 'dist/app-1.0.tgz', 'x-1.0-py3-none-any.whl', 'tool.gem'])(
    '%s is local',
    (w) => expect(isLocalOperand(w)).toBe(true),
  );
  it.each(['requests', 'foo/bar', '@scope/pkg', 'https://h.example/x.tgz', 'git+https://h.example/r.git'])('%s is not local', (w) =>
    expect(isLocalOperand(w)).toBe(false),
  );
});

describe('installs read with the tool’s options', () => {
  const problem = (line: string) => unfrozenInstall(argv(line))?.problem;
  it('reads no flag value as a package', () => {
    expect(problem('pip install --root-user-action ignore poetry==1.8.5')).toBeUndefined();
    expect(problem('npm install --loglevel verbose sax@0.1.1')).toBeUndefined();
    expect(problem('pip install --root-user-action ignore poetry')).toMatch(/^installs poetry without an exact version/);
    expect(installedPackages(argv('pip install --root-user-action ignore poetry==1.8.5')).map((p) => p.name)).toEqual(['poetry']);
    expect(installedPackages(argv('npm install --loglevel verbose sax@0.1.1')).map((p) => `${p.name}@${p.exact}`)).toEqual(['sax@0.1.1']);
  });

  it('does not report local archives and paths as unpinned', () => {
    for (const line of ['npm install ./package-v1.2.3.tar', 'pip install ./foo/bar', 'pip install dist/app-1.0-py3-none-any.whl', 'gem install ./tool-1.0.gem', 'cargo install --path .'])
      expect(problem(line), line).toBeUndefined();
    expect(installedPackages(argv('pip install foo/bar'))).toEqual([]);
  });

  it('reads pipx and cargo installs', () => {
    expect(problem('pipx install black')).toBe('installs black without an exact version');
    expect(problem('pipx install black==24.8.0')).toBeUndefined();
    expect(problem('pipx install --spec black==24.8.0 black')).toBeUndefined();
    expect(problem('pipx inject poetry poetry-plugin-export')).toBe('installs poetry-plugin-export without an exact version');
    expect(installedPackages(argv('pipx install --python python3.12 black==24.8.0')).map((p) => p.exact)).toEqual(['24.8.0']);
    expect(problem('cargo install just')).toBe('installs just without an exact version');
    expect(problem('cargo install just --version 1.36.0 --locked')).toBeUndefined();
    expect(problem('cargo install just@1.36.0')).toBeUndefined();
    expect(problem('cargo install --git https://git.example/t tool')).toMatch(/without `--rev <commit>`/);
  });
});
