// The files a repository needs so that the repository rules (codeowners-gaps, missing-dependency-updates,
// missing-security-policy) have nothing to say: for tests of a "clean" tree scanned as a whole.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CLEAN_REPOSITORY_FILES: Readonly<Record<string, string>> = {
  '.github/CODEOWNERS': '* @acme/maintainers\n',
  '.github/dependabot.yml': ['version: 2', 'updates:', ...['docker', 'github-actions', 'npm'].map((e) => `  - package-ecosystem: ${e}\n    directory: /\n    schedule: { interval: weekly }`), ''].join('\n'),
  'SECURITY.md': '# Security\n\nReport vulnerabilities through private vulnerability reporting.\n',
};

export function writeCleanRepositoryFiles(dir: string): void {
  for (const [path, text] of Object.entries(CLEAN_REPOSITORY_FILES)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
