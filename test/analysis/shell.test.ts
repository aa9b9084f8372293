import { describe, expect, it } from 'vitest';
import { logicalLines, parseShell } from '../../src/analysis/shell.js';

describe('parseShell memo', () => {
  it('parses a script once: the rules that read the same script share one read-only result', () => {
    const script = 'curl -fsSL https://x.sh | sh\nnpm ci';
    const a = parseShell(script);
    expect(parseShell(script)).toBe(a);
    expect(parseShell(`${script}\n`)).not.toBe(a);
    expect(a.commands.map((c) => c.argv[0])).toEqual(['curl', 'sh', 'npm']);
    expect(a.pipelines.map((p) => p.length)).toEqual([2, 1]);
  });

  it('stays bounded and correct past its budget: an evicted script parses again to the same commands', () => {
    const first = 'pip install -r requirements.txt && make';
    const before = parseShell(first);
    for (let i = 0; i < 5_000; i++) parseShell(`echo ${i} ${'x'.repeat(i % 700)}`);
    const again = parseShell(first);
    expect(again).not.toBe(before);
    expect(again).toEqual(before);
  });
});

describe('parseShell compound commands', () => {
  const programs = (script: string) => parseShell(script).commands.map((c) => c.argv.join(' '));
  const pipes = (script: string) => parseShell(script).pipelines.map((p) => p.map((c) => c.argv[0]).join('|'));

  it('reads the commands inside if/then/else/fi, loops, braces and negation, not the reserved words', () => {
    // vscode-dev-containers codespaces-linux/.devcontainer/base.Dockerfile:133, shape kept
    const script = 'if [ -z $DeveloperBuild ]; then \\\n  echo "not including debugger" ; \\\nelse \\\n  curl -sSL https://aka.example/getvsdbgsh | bash /dev/stdin -v latest ; \\\nfi';
    expect(pipes(script)).toEqual(['[', 'echo', 'curl|bash']);
    expect(programs('for f in a b; do curl -s $f | sh; done')).toEqual(['for f in a b', 'curl -s $f', 'sh']);
    expect(pipes('while read -r l; do wget -qO- "$l" | bash; done')).toEqual(['read', 'wget|bash']);
    expect(pipes('until false; do { curl x | sh; }; done')).toEqual(['false', 'curl|sh']);
    expect(pipes('! curl x | sh || true')).toEqual(['curl|sh', 'true']);
    expect(pipes('elif curl x | sh; then :; fi')).toEqual(['curl|sh', ':']);
  });

  it('drops case patterns and function names, keeps what the items and bodies run', () => {
    const script = 'case "$1" in\n  install|setup) curl -fsSL https://x.example/i.sh | sh ;;\n  *) echo no ;;\nesac';
    expect(pipes(script)).toEqual(['case', 'curl|sh', 'echo']);
    expect(pipes('setup() { curl x | bash; }')).toEqual(['curl|bash']);
    expect(pipes('function setup { curl x | bash; }')).toEqual(['curl|bash']);
    expect(pipes('function setup() {\n  curl x | bash\n}')).toEqual(['curl|bash']);
  });

  it('reads subshells, process substitutions after a redirect, and && / || / ; chains', () => {
    expect(pipes('(cd /tmp && curl x | sh)')).toEqual(['cd', 'curl|sh']);
    expect(programs('while read l; do :; done < <(curl -s q)')).toEqual(['read l', ':', 'curl -s q']);
    expect(pipes('a && curl x | sh; b || wget -O- y | bash')).toEqual(['a', 'curl|sh', 'b', 'wget|bash']);
  });

  it('leaves reserved words alone outside command position', () => {
    expect(programs('echo then do done fi')).toEqual(['echo then do done fi']);
    expect(programs('apt-get install -y if')).toEqual(['apt-get install -y if']);
  });

  it('reads `2>&1` and `2>/dev/null` as redirects, not as an argument 2', () => {
    expect(programs('pip3 install --user pipx 2>&1')).toEqual(['pip3 install --user pipx']);
    expect(programs('npm i x 2>/dev/null; y 1>&2')).toEqual(['npm i x', 'y']);
    expect(programs('echo 2 >out')).toEqual(['echo 2']);
  });

  it('reads the body of a heredoc fed to a shell, and skips any other heredoc body', () => {
    // vscode-dev-containers script-library/node-debian.sh, shape kept
    const su = 'su ${USERNAME} -c "$(cat << EOF\n    set -e\n    curl -so- https://x.example/nvm/v1/install.sh | bash\nEOF\n)"\necho done';
    expect(pipes(su)).toContain('curl|bash');
    expect(parseShell(su).commands.find((c) => c.argv[0] === 'curl')!.line).toBe(2);
    expect(pipes("sudo -u app bash -e <<'SH'\nwget -qO- https://x.example/i | sh\nSH\nls")).toEqual(['sudo', 'wget|sh', 'ls']);
    expect(programs("cat <<EOF > /etc/motd\ncurl x | sh\nEOF\nls")).toEqual(['cat', 'ls']);
    expect(programs('python3 - <<EOF\nimport os\nEOF')).toEqual(['python3 -']);
  });

  it('keeps unquoted globs as words, in place', () => {
    expect(programs('dnf install --exclude kernel* -x foo git')).toEqual(['dnf install --exclude kernel* -x foo git']);
    expect(programs('pip install dist/*.whl; rm -rf /tmp/*')).toEqual(['pip install dist/*.whl', 'rm -rf /tmp/*']);
    expect(parseShell('ls *.txt').commands[0]!.spans[1]).toMatchObject({ column: 3, endColumn: 8 });
  });
});

describe('comments and line continuations', () => {
  const argvs = (script: string) => parseShell(script).commands.map((c) => [c.line, c.argv.join(' ')]);

  it('ends a comment at its newline even when it ends in a backslash, as the shell does', () => {
    const script = '#RUN curl -s ifconfig.co/json | grep x && \\\n#    pip install -i https://mirror.example.org/simple || \\\nbla && \\\n    pip install -r requirements.txt\n';
    expect(argvs(script)).toEqual([
      [2, 'bla'],
      [2, 'pip install -r requirements.txt'],
    ]);
    // a comment after a command, and an indented comment line inside a continued command
    expect(argvs('apt-get update # refresh \\\npip install x\n')).toEqual([
      [0, 'apt-get update'],
      [1, 'pip install x'],
    ]);
    expect(argvs('apt-get update && \\\n    # the tools \\\n    apt-get install -y curl\n').map(([, a]) => a)).toEqual(['apt-get update', 'apt-get install -y curl']);
  });

  it('keeps a continuation whose `#` is quoted or inside a word', () => {
    expect(argvs('echo "a # b" \\\n  c\n')).toEqual([[0, 'echo a # b c']]);
    expect(logicalLines("echo 'x' a#b \\\n  c\n").map((l) => l.text)).toEqual(["echo 'x' a#b    c"]);
    expect(argvs('echo "first \\\n# still quoted" \\\n  done\n').map(([, a]) => a)).toEqual(['echo first  # still quoted done']);
  });
});
