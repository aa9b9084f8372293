// The format a finding's file is written in decides the syntax of its fix (analysis/file-format.ts).
import { describe, expect, it } from 'vitest';
import { fileFormat } from '../../src/analysis/file-format.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

describe('fileFormat', () => {
  it('names each kind by its path, and other YAML as Kubernetes by its apiVersion and kind', () => {
    expect(fileFormat('build/Dockerfile.prod')).toBe('dockerfile');
    expect(fileFormat('.github/workflows/ci.yml')).toBe('workflow');
    expect(fileFormat('.github/actions/setup/action.yml')).toBe('action');
    expect(fileFormat('deploy/docker-compose.yml')).toBe('compose');
    expect(fileFormat('package-lock.json')).toBe('lockfile');
    expect(fileFormat('requirements.txt')).toBe('manifest');
    expect(fileFormat('k8s/app.yaml', 'apiVersion: v1\nkind: Pod\n')).toBe('kubernetes');
    expect(fileFormat('config/app.yaml', 'name: x\n')).toBe('other');
  });

  it('sees Kubernetes past a byte-order mark, so its fix speaks Kubernetes there too', () => {
    const text = '\uFEFFapiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\nspec:\n  containers:\n    - name: nginx\n      image: nginx:1.27\n';
    expect(fileFormat('k8s/with_bom.yaml', text)).toBe('kubernetes');
    // The workload parser reads the file as a pod: the finding exists, and its format is the one its message speaks.
    const found = scanFiles({ 'k8s/with_bom.yaml': text }, { rules: [rules.find((r) => r.id === 'runs-as-root')!] }).findings;
    expect(found.map((f) => f.message)).toEqual([expect.stringContaining('`runAsNonRoot: true`')]);
  });
});
