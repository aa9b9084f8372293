import { describe, expect, it } from 'vitest';
import { classifyContext } from '../../src/analysis/contexts.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const scan = (text: string) => scanFiles({ '.github/workflows/ci.yml': text }, { rules: [rules.find((r) => r.id === 'template-injection')!] }).findings;
const snip = (text: string, line: number, column: number, endColumn: number) => text.split('\n')[line - 1]!.slice(column - 1, endColumn - 1);

describe('template-injection: contexts GitHub restricts to characters a shell cannot misread', () => {
  it('logins, repository names, numbers, SHAs and ids are not reported; the head branch, titles and bodies are', () => {
    // modelled on an issue-triage workflow that mentions the author, and a PR workflow that names the fork
    const text = [
      'name: Issue needs repro',
      'on:',
      '  issues:',
      '    types: [labeled]',
      '  pull_request_target:',
      'jobs:',
      '  comment:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      issues: write',
      '    steps:',
      '      - run: |',
      '          gh issue comment ${{ github.event.issue.number }} --body "Hello @${{ github.event.issue.user.login }}, please add a reproduction."',
      '          echo "${{ github.event.sender.login }} ${{ github.triggering_actor }} ${{ github.event.pull_request.head.repo.owner.login }}"',
      '          echo "${{ github.event.pull_request.head.repo.full_name }} ${{ github.event.pull_request.head.repo.name }} ${{ github.event.pull_request.head.sha }}"',
      '          echo "${{ github.event.pull_request.author_association }} ${{ github.event.workflow_run.id }}"',
      '          git fetch origin "${{ github.head_ref }}"',
      '          echo "${{ github.event.issue.title }}"',
      '',
    ].join('\n');
    const found = scan(text).map((f) => snip(text, f.line, f.column, f.endColumn));
    expect(found).toEqual(['${{ github.head_ref }}', '${{ github.event.issue.title }}']);
  });

  it('classifies every login in an event payload as safe, but not emails or names', () => {
    for (const p of ['github.event.issue.user.login', 'github.event.review.user.login', 'github.event.commits.*.author.username', 'github.event.assignee.login'])
      expect(classifyContext(p)?.risk, p).toBe('safe');
    for (const p of ['github.event.commits.*.author.email', 'github.event.head_commit.author.name', 'github.event.pull_request.head.ref', 'github.head_ref'])
      expect(classifyContext(p)?.risk, p).toBe('text');
  });
});
