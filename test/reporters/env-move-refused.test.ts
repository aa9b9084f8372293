/**
 * A PR suggestion and `portcullis fix` move an injected `${{ … }}` from `run:` to `env:` the same way, and refuse it
 * the same way where the move would change what the script does: a `for f in ${{ list }}` loop (quoting the list as
 * "$VAR" makes it one item) and a job that may run on Windows without `shell:` (PowerShell reads variables differently).
 */
import { describe, expect, it } from 'vitest';
import { planSuggestions } from '../../src/reporters/suggestions.js';
import { scanFiles } from '../../src/scan.js';

const PATH = '.github/workflows/ci.yml';
const workflow = (runsOn: string, script: string): string =>
  `name: CI\non: pull_request_target\npermissions: {}\njobs:\n  lint:\n    runs-on: ${runsOn}\n    steps:\n      - run: ${script}\n`;

function suggestionsFor(text: string) {
  const findings = scanFiles({ [PATH]: text }).findings.filter((f) => f.ruleId === 'template-injection');
  expect(findings.length).toBeGreaterThan(0);
  return planSuggestions(findings, text);
}

describe('moving an expression to env:', () => {
  it('is suggested for a plain use on a Linux runner', () => {
    const [s] = suggestionsFor(workflow('ubuntu-latest', 'echo "${{ github.event.pull_request.title }}"'));
    expect(s?.replacement).toContain('PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}');
  });

  it('is not suggested for a for-loop word list, where "$VAR" would make the list one item', () => {
    expect(suggestionsFor(workflow('ubuntu-latest', 'for f in ${{ github.event.pull_request.title }}; do echo "$f"; done'))).toEqual([]);
  });

  it('is not suggested in a job that may run on Windows with no shell: set', () => {
    expect(suggestionsFor(workflow('windows-latest', 'echo "${{ github.event.pull_request.title }}"'))).toEqual([]);
    expect(suggestionsFor(workflow('${{ matrix.os }}', 'echo "${{ github.event.pull_request.title }}"'))).toEqual([]);
  });
});
