import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const scan = (text: string) => scanFiles({ '.github/workflows/w.yml': text }, { rules: [rules.find((r) => r.id === 'persisted-credentials')!] }).findings;
const job = (...steps: string[]) => `name: bump\non:\n  workflow_dispatch:\njobs:\n  bump:\n    runs-on: ubuntu-latest\n    steps:\n${steps.map((s) => `      ${s}`).join('\n')}\n`;

describe('persisted-credentials is quiet in jobs that push with the stored token', () => {
  it('a later `git push` (or `git -C dir push`) uses the credentials the checkout stored', () => {
    const bump = job(
      '- uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v4',
      '  with:',
      '    token: ${{ steps.generate_token.outputs.token }}',
      '    ref: "main"',
      '- name: Commit',
      '  run: |',
      '    git checkout -b "bump-to-v$NEW_VERSION"',
      '    git commit -am "bump"',
      '- name: Push the branch',
      '  run: |',
      '    git config push.autoSetupRemote true',
      '    git push',
    );
    expect(scan(bump)).toEqual([]);
    expect(scan(job('- uses: actions/checkout@v4', '- run: git -C site push origin HEAD:gh-pages'))).toEqual([]);
  });

  it('pushing actions count; a job that only builds, or only mentions push in text, is still reported', () => {
    expect(scan(job('- uses: actions/checkout@v4', '- run: npm run format', '- uses: stefanzweifel/git-auto-commit-action@v5'))).toEqual([]);
    expect(scan(job('- uses: actions/checkout@v4', '- run: npm test', '- run: echo "do not push on Fridays"')).map((f) => f.line)).toEqual([8]);
  });

  it('pushing does not excuse uploading the workspace: that publishes the token', () => {
    const found = scan(job('- uses: actions/checkout@v4', '- run: git push', '- uses: actions/upload-artifact@v3', '  with:', '    path: .'));
    expect(found.map((f) => f.severity)).toEqual(['high']);
  });
});
