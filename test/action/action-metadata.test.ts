/** action.yml as the GitHub Marketplace checks it at the release tag: name and description lengths, branding, runtime. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const action = parse(readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8')) as {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  runs: { using: string; main: string };
  inputs: Record<string, { description: string }>;
};

describe('action.yml', () => {
  it('fits the Marketplace limits: a name under 50 characters, a description under 125, branding', () => {
    expect(action.name.length).toBeLessThanOrEqual(50);
    expect(action.description.length).toBeLessThan(125);
    expect(action.branding.icon).toBeTruthy();
    expect(action.branding.color).toBeTruthy();
  });

  it('runs the committed bundle on node24 and describes every input', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toBeTruthy();
  });
});
