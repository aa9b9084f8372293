import { describe, expect, it } from 'vitest';
import type { Finding, Rule } from '../../src/core/types.js';
import { parseYaml } from '../../src/parsers/yaml.js';
import { workflowFromYaml } from '../../src/parsers/workflow.js';
import githubEnvInjection from '../../src/rules/workflows/github-env-injection.js';
import templateInjection, { suggestEnvFix } from '../../src/rules/workflows/template-injection.js';
import { flowingContexts, flowingLiterals } from '../../src/analysis/expressions.js';
import { scanFiles } from '../../src/scan.js';

function scan(text: string, path = '.github/workflows/ci.yml', rule: Rule<never> = templateInjection): Finding[] {
  return scanFiles({ [path]: text }, { rules: [rule as Rule] }).findings;
}
const at = (f: Finding) => [f.line, f.column, f.endLine, f.endColumn];
/** The source text a single-line finding points at. */
const snip = (text: string, f: Finding) => text.split('\n')[f.line - 1]!.slice(f.column - 1, f.endColumn - 1);
const job = (steps: string, on = 'pull_request_target', extra = '') =>
  `on: ${on}\n${extra}jobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

describe('template-injection', () => {
  it('points at exactly the expression, one finding per occurrence, with the env fix', () => {
    const fs = scan(job('      - run: |\n          echo "${{ github.event.pull_request.title }}"\n          echo ${{ github.head_ref }} ${{ github.sha }}\n'));
    expect(fs.map(at)).toEqual([
      [7, 17, 7, 55],
      [8, 16, 8, 38],
    ]);
    expect(fs[0]).toMatchObject({ severity: 'critical', confidence: 'high' });
    expect(fs[0]!.message).toContain('pull request title');
    expect(fs[0]!.message).toContain('pull_request_target');
    expect(fs[0]!.message).toContain('PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}');
    expect(fs[0]!.message).toContain('"$PULL_REQUEST_TITLE"');
  });

  it('ignores safe contexts, boolean functions, if: conditions, non-code with: inputs and shell comment lines', () => {
    const steps = [
      '      - if: contains(github.event.pull_request.title, "x")',
      '        run: echo ${{ github.event.pull_request.number }} ${{ secrets.TOKEN }} ${{ contains(github.event.issue.title, \'x\') }}',
      '      - run: |',
      '          # echo ${{ github.event.issue.title }}',
      '          echo ${{ startsWith(github.head_ref, \'a\') && \'yes\' || \'no\' }} ${{ github.event.pull_request.head.repo.fork }}',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          ref: ${{ github.head_ref }}',
      '',
    ].join('\n');
    expect(scan(job(steps))).toEqual([]);
  });

  it('resolves env at step, job and workflow level, and static env is clean', () => {
    const text = job(
      [
        '      - run: echo ${{ env.A }} ${{ env.B }} ${{ env.C }} ${{ env.S }}',
        '        env:',
        '          A: ${{ github.event.issue.title }}',
        '          S: static',
        '',
      ].join('\n'),
      'issues',
      'env:\n  C: "x ${{ github.event.issue.body }}"\n',
    ).replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    env:\n      B: ${{ github.event.comment.body }}\n');
    const fs = scan(text);
    expect(fs.map((f) => [snip(text, f), f.severity, f.confidence])).toEqual([
      ['${{ env.A }}', 'high', 'medium'],
      ['${{ env.B }}', 'high', 'medium'],
      ['${{ env.C }}', 'high', 'medium'],
    ]);
    expect(fs[0]!.message).toContain('env variable A, set from the issue title');
  });

  it('resolves step outputs written to GITHUB_OUTPUT, action outputs, and job outputs through needs', () => {
    const text = [
      'on: issue_comment',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      body: ${{ steps.s.outputs.body }}',
      '      safe: ${{ steps.s.outputs.n }}',
      '    steps:',
      '      - id: s',
      '        run: |',
      '          echo "body=${{ github.event.comment.body }}" >> "$GITHUB_OUTPUT"',
      '          echo "n=1" >> "$GITHUB_OUTPUT"',
      '      - id: act',
      '        uses: some/action@v1',
      '        with:',
      '          text: ${{ github.event.comment.body }}',
      '      - run: echo ${{ steps.s.outputs.body }} ${{ steps.s.outputs.n }} ${{ steps.act.outputs.result }}',
      '  b:',
      '    needs: a',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo ${{ needs.a.outputs.body }} ${{ needs.a.outputs.safe }}',
      '',
    ].join('\n');
    const fs = scan(text);
    expect(fs.map((f) => [f.line, snip(text, f), f.severity, f.confidence])).toEqual([
      [11, '${{ github.event.comment.body }}', 'critical', 'high'],
      [17, '${{ steps.s.outputs.body }}', 'high', 'medium'],
      [17, '${{ steps.act.outputs.result }}', 'high', 'low'],
      [22, '${{ needs.a.outputs.body }}', 'high', 'medium'],
    ]);
    expect(fs[3]!.message).toContain('output body of job a');
  });

  it('types inputs: string inputs are reported (workflow_dispatch: medium, only writers type them), boolean/choice/number are not', () => {
    const on = 'workflow_dispatch:\n    inputs:\n      name: {type: string}\n      flag: {type: boolean}\n      pick: {type: choice, options: [a, b]}\n';
    const text = `on:\n  ${on}jobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \${{ inputs.name }} \${{ inputs.flag }} \${{ github.event.inputs.pick }} \${{ github.event.inputs.name }}\n`;
    const fs = scan(text);
    expect(fs.map((f) => [snip(text, f), f.severity])).toEqual([
      ['${{ inputs.name }}', 'medium'],
      ['${{ github.event.inputs.name }}', 'medium'],
    ]);
  });

  it('treats a static matrix as safe and a matrix built from attacker text as not', () => {
    const text = job(
      '      - run: echo ${{ matrix.os }} ${{ matrix.dyn }}\n',
      'repository_dispatch',
      '',
    ).replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        os: [a, b]\n        dyn: ${{ fromJSON(github.event.client_payload.list) }}\n');
    const fs = scan(text);
    expect(fs.map((f) => [snip(text, f), f.severity])).toEqual([['${{ matrix.dyn }}', 'high']]);
  });

  it('flags code inputs of code-running actions and composite-action inputs', () => {
    const gs = scan(job("      - uses: actions/github-script@v7\n        with:\n          script: |\n            const t = '${{ github.event.pull_request.body }}'\n"));
    expect(gs.map(at)).toEqual([[9, 24, 9, 61]]);
    expect(gs[0]!.message).toContain('process.env.PULL_REQUEST_BODY');
    const action = [
      'name: a',
      'description: a',
      'inputs:',
      '  who: {description: who}',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - run: echo "${{ inputs.who }}"',
      '      shell: bash',
      '    - uses: azure/cli@v2',
      '      with:',
      '        inlineScript: az ${{ inputs.who }}',
      '',
    ].join('\n');
    const fs = scan(action, 'action.yml');
    expect(fs.map((f) => [f.line, snip(action, f), f.severity, f.confidence])).toEqual([
      [8, '${{ inputs.who }}', 'medium', 'low'],
      [12, '${{ inputs.who }}', 'medium', 'low'],
    ]);
  });

  it('spans multi-line expressions and reports an aliased run once, at its anchor', () => {
    const text = job('      - run: &r |\n          echo ${{\n            github.event.issue.title\n          }}\n      - run: *r\n', 'issues');
    const fs = scan(text);
    expect(fs.map(at)).toEqual([[7, 16, 9, 13]]);
    expect(fs[0]!.message).toContain('`${{ github.event.issue.title }}`');
  });

  it('passes only the right operand of && and the members of a parenthesised value', () => {
    expect(flowingContexts("github.event.issue.title && 'x' || ''")).toEqual([]);
    expect(flowingContexts('(github.event.pull_request || github.event.issue).number')).toEqual([
      'github.event.pull_request.number',
      'github.event.issue.number',
    ]);
  });

  it('lists the string literals that can be the whole value, not compared or function arguments', () => {
    expect(flowingLiterals("inputs.x == 'on' && 'redis:7' || 'redis:6'")).toEqual(['redis:7', 'redis:6']);
    expect(flowingLiterals("format('{0}:7', inputs.name)")).toEqual([]);
    expect(flowingLiterals("contains(inputs.x, 'a')")).toEqual([]);
    expect(flowingLiterals("('a' || 'b').c")).toEqual([]);
    expect(flowingLiterals("'a' 'b'")).toBeUndefined();
  });

  it('resolves an env that is one matrix value to the mappings the matrix lists', () => {
    const text = [
      'on: issues',
      'jobs:',
      '  j:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      '        include:',
      '          - env: {T: "${{ github.event.issue.title }}"}',
      '          - env: {T: fixed}',
      '    steps:',
      '      - run: echo ${{ env.T }}',
      '        env: ${{ matrix.env }}',
      '',
    ].join('\n');
    const fs = scan(text);
    expect(fs.map((f) => snip(text, f))).toEqual(['${{ env.T }}']);
    expect(fs[0]!.message).toContain('env variable T, set from the issue title');
    expect(scan(text.replace('"${{ github.event.issue.title }}"', 'other'))).toEqual([]);
  });

  it('rates file names from file-listing actions medium, with a fix that loops over the variable', () => {
    const text = job(
      [
        '      - id: changed',
        '        uses: tj-actions/changed-files@v46.0.1',
        '      - run: |',
        '          for f in ${{ steps.changed.outputs.all_changed_files }}; do prettier --check $f; done',
        '          echo ${{ steps.changed.outputs.any_changed }} ${{ steps.changed.outputs.all_changed_files_count }}',
        '',
      ].join('\n'),
      'pull_request',
    );
    const fs = scan(text);
    // a flag and a count are not names: they stay unknown outputs (info), as before
    expect(fs.map((f) => [snip(text, f), f.severity, f.confidence])).toEqual([
      ['${{ steps.changed.outputs.all_changed_files }}', 'medium', 'medium'],
      ['${{ steps.changed.outputs.any_changed }}', 'info', 'low'],
      ['${{ steps.changed.outputs.all_changed_files_count }}', 'info', 'low'],
    ]);
    expect(fs[0]!.message).toContain('file names listed by tj-actions/changed-files');
    expect(fs[0]!.message).toContain('`for f in $CHANGED_ALL_CHANGED_FILES` splits it without running it');
    // an action that lists nothing stays unknown (info)
    const other = scan(text.replace('tj-actions/changed-files@v46.0.1', 'acme/build-info@v1'));
    expect(other.map((f) => f.severity)).toEqual(['info', 'info', 'info']);
  });

  it('reads the steps of a parallel group as steps of the job', () => {
    const text = job('      - parallel:\n          - run: echo ok\n          - run: echo "${{ github.event.pull_request.title }}"\n      - run: echo ${{ github.head_ref }}\n');
    expect(scan(text).map((f) => f.line)).toEqual([8, 9]);
  });
});

describe('suggestEnvFix', () => {
  const stepOf = (steps: string) => {
    const text = job(steps);
    const wf = workflowFromYaml(parseYaml('.github/workflows/ci.yml', text, [])!, text, [])!;
    return wf.jobs[0]!.steps[0]!;
  };
  it('replaces the expression with a quoted variable and adds the env entry', () => {
    const step = stepOf('      - run: |\n          echo "Title: ${{ github.event.pull_request.title }}"\n          x=${{ github.event.pull_request.title }}\n');
    const fix = suggestEnvFix(step, '${{ github.event.pull_request.title }}');
    expect(fix.envEntry).toBe('PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}');
    expect(fix.lines).toEqual([
      { line: 0, before: 'echo "Title: ${{ github.event.pull_request.title }}"', after: 'echo "Title: ${PULL_REQUEST_TITLE}"' },
      { line: 1, before: 'x=${{ github.event.pull_request.title }}', after: 'x="$PULL_REQUEST_TITLE"' },
    ]);
  });
  it('reuses an existing env entry, avoids name clashes, and handles single quotes and PowerShell', () => {
    const reuse = stepOf("      - run: echo '${{ github.head_ref }}'\n        env:\n          BR: ${{ github.head_ref }}\n");
    expect(suggestEnvFix(reuse, '${{ github.head_ref }}')).toMatchObject({ name: 'BR', envEntry: undefined, script: 'echo "$BR"' });
    const clash = stepOf("      - run: echo 'ref ${{ github.head_ref }}'\n        env:\n          HEAD_REF: other\n");
    expect(suggestEnvFix(clash, '${{ github.head_ref }}')).toMatchObject({ name: 'HEAD_REF_1', script: `echo 'ref '"$HEAD_REF_1"''` });
    const pwsh = stepOf('      - run: Write-Host "${{ github.head_ref }}"\n        shell: pwsh\n');
    expect(suggestEnvFix(pwsh, '${{ github.head_ref }}').script).toBe('Write-Host "$env:HEAD_REF"');
  });
  it('never names the variable after one the shell, runner or an interpreter already reads', () => {
    // `PATH: ${{ inputs.path }}` would break the step; `NODE_OPTIONS: ${{ inputs.node_options }}` would give node the text as options.
    const cases: [string, string][] = [
      ['${{ inputs.path }}', 'PATH_VALUE'],
      ['${{ inputs.user }}', 'USER_VALUE'],
      ['${{ github.event.inputs.node_options }}', 'NODE_OPTIONS_VALUE'],
      ['${{ inputs.ld_preload }}', 'LD_PRELOAD_VALUE'],
      ['${{ inputs.bash_env }}', 'BASH_ENV_VALUE'],
      ['${{ inputs.github_env }}', 'GITHUB_ENV_VALUE'],
      ['${{ inputs.github_token }}', 'GITHUB_TOKEN'],
      ['${{ inputs.username }}', 'USERNAME_VALUE'],
      ['${{ inputs.user_name }}', 'USER_NAME'],
      ['${{ env.PATH }}', 'PATH'],
    ];
    for (const [expression, name] of cases) {
      const step = stepOf(`      - run: echo "${expression}"\n`);
      expect(suggestEnvFix(step, expression), expression).toMatchObject({ name, envEntry: expression.startsWith('${{ env.') ? `PATH: ${expression}` : `${name}: ${expression}` });
    }
    // The message names the same variable as the suggestion.
    const [f] = scan(job('      - run: echo "${{ github.event.inputs.path }}"\n', '\n  workflow_dispatch:\n    inputs:\n      path: {type: string}'));
    expect(f?.message).toContain('(`PATH_VALUE: ${{ github.event.inputs.path }}`) and use `"$PATH_VALUE"`');
  });
});

describe('github-env-injection', () => {
  const run = (script: string, on = 'pull_request_target') => scan(job(`      - run: |\n${script.split('\n').map((l) => `          ${l}`).join('\n')}\n        env:\n          TITLE: \${{ github.event.pull_request.title }}\n`, on), undefined, githubEnvInjection);

  it('reports attacker text reaching GITHUB_ENV/GITHUB_PATH directly or through variables', () => {
    const direct = run('echo "T=${{ github.event.pull_request.title }}" >> "$GITHUB_ENV"');
    expect(direct.map((f) => [f.line, f.endLine, f.severity, f.confidence])).toEqual([[6, 7, 'high', 'high']]);
    const viaVar = run('msg=$(echo "$TITLE" | head -1)\necho "$msg" >> $GITHUB_PATH');
    expect(viaVar.map((f) => [f.line, f.endLine, f.severity, f.confidence])).toEqual([[6, 8, 'high', 'medium']]);
    expect(viaVar[0]!.message).toContain('$GITHUB_PATH');
  });

  it('reports command output only on privileged triggers, with low confidence; static writes never', () => {
    expect(run('echo "V=$(cat artifact/v)" >> $GITHUB_ENV').map((f) => f.confidence)).toEqual(['low']);
    expect(run('echo "V=$(cat artifact/v)" >> $GITHUB_ENV', 'pull_request')).toEqual([]);
    expect(run('echo "$TITLE" >> $GITHUB_ENV', 'pull_request').map((f) => f.severity)).toEqual(['medium']);
    expect(run('echo "$HOME/bin" >> $GITHUB_PATH\nprintf "A=1\\nB=2\\n" >> "$GITHUB_ENV"\n# echo "$TITLE" >> $GITHUB_ENV')).toEqual([]);
  });

  it('reads PowerShell and cmd spellings in composite actions', () => {
    const action = 'name: a\ndescription: a\nruns:\n  using: composite\n  steps:\n    - run: echo "a=$env:X" >> $env:GITHUB_ENV\n      shell: pwsh\n    - run: echo L=%L% >> %GITHUB_ENV%\n      shell: cmd\n    - run: echo a=b >> $GITHUB_ENV\n      shell: bash\n';
    expect(scan(action, 'action.yml', githubEnvInjection).map((f) => [f.line, f.severity, f.confidence])).toEqual([
      [6, 'medium', 'low'],
      [8, 'medium', 'low'],
    ]);
  });
});
