// A rendered manifest is parsed one pod document at a time (parsers/workloads/pod-documents.ts); a document the YAML
// parser gives up on must fail the gate there too, as it does when the file is parsed whole.
import { describe, expect, it } from 'vitest';
import { scanFiles } from '../../src/scan.js';

const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          args: ${deep}\n`;
const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n';

const unchecked = (files: Record<string, string>) => scanFiles(files).findings.filter((f) => f.ruleId === 'unchecked-file').map((f) => f.path);

describe('a pod document the parser gives up on', () => {
  it('is an unchecked file alone, and as one document of a multi-document manifest', () => {
    expect(unchecked({ 'k8s/web.yaml': deployment })).toEqual(['k8s/web.yaml']);
    expect(unchecked({ 'k8s/install.yaml': `${service}---\n${deployment}` })).toEqual(['k8s/install.yaml']);
  });

  it('leaves a plain syntax error in one document a notice, as for a whole file', () => {
    const broken = deployment.replace(`args: ${deep}`, 'args: [unclosed');
    expect(unchecked({ 'k8s/install.yaml': `${service}---\n${broken}` })).toEqual([]);
  });
});

describe('the span of an unchecked file', () => {
  it('points at the NUL byte itself, and at the whole line a YAML failure names', () => {
    const nul = scanFiles({ Dockerfile: 'FROM alpine:3.20\n# note \0 here\n' }).findings.find((f) => f.ruleId === 'unchecked-file');
    expect(nul && [nul.line, nul.column, nul.endLine, nul.endColumn]).toEqual([2, 8, 2, 9]);
    const deepDoc = scanFiles({ 'k8s/web.yaml': deployment }).findings.find((f) => f.ruleId === 'unchecked-file');
    expect(deepDoc!.endColumn).toBeGreaterThan(deepDoc!.column);
  });
});
