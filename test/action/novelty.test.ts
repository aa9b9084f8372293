import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authConfig, parentsOf } from '../../src/action/base.js';
import { GitError, gitEnv, runGit } from '../../src/action/git.js';
import { parseRawDiff, toScanChanges } from '../../src/action/novelty.js';
import { git } from '../support/git-checkout.js';

const oid = (c: string) => c.repeat(40);
const raw = (...parts: string[]) => Buffer.from(parts.join('\0') + '\0');

describe('reading the change from git', () => {
  it('parses `diff-tree --raw -z`: modified, added, deleted, renamed (old and new name), with modes and the base object', () => {
    const entries = parseRawDiff(
      raw(
        `:100644 100644 ${oid('a')} ${oid('b')} M`,
        'Dockerfile',
        `:000000 100644 ${oid('0')} ${oid('c')} A`,
        'new file with spaces.yml',
        `:100644 000000 ${oid('d')} ${oid('0')} D`,
        'web/package-lock.json',
        `:100644 100644 ${oid('e')} ${oid('f')} R087`,
        'legacy/Dockerfile',
        'old/Dockerfile',
      ),
    );
    expect(entries).toEqual([
      { baseMode: '100644', headMode: '100644', baseOid: oid('a'), status: 'M', from: 'Dockerfile', to: 'Dockerfile' },
      {
        baseMode: '000000',
        headMode: '100644',
        baseOid: oid('0'),
        status: 'A',
        from: 'new file with spaces.yml',
        to: 'new file with spaces.yml',
      },
      {
        baseMode: '100644',
        headMode: '000000',
        baseOid: oid('d'),
        status: 'D',
        from: 'web/package-lock.json',
        to: 'web/package-lock.json',
      },
      {
        baseMode: '100644',
        headMode: '100644',
        baseOid: oid('e'),
        status: 'R',
        from: 'legacy/Dockerfile',
        to: 'old/Dockerfile',
      },
    ]);
    expect(toScanChanges(entries, '', [])).toEqual([
      { path: 'Dockerfile', previous: 'Dockerfile' },
      { path: 'new file with spaces.yml' },
      { previous: 'web/package-lock.json' },
      { path: 'old/Dockerfile', previous: 'legacy/Dockerfile' },
    ]);
  });

  it('names files from the scanned folder (a side outside it is absent); a changed submodule stands for every file under it', () => {
    const entries = parseRawDiff(
      raw(
        `:100644 100644 ${oid('e')} ${oid('f')} R100`,
        'elsewhere/Dockerfile',
        'svc/Dockerfile',
        `:160000 160000 ${oid('1')} ${oid('2')} M`,
        'svc/vendor-sub',
        `:100644 100644 ${oid('3')} ${oid('4')} M`,
        'other/x.yml',
      ),
    );
    expect(
      toScanChanges(entries, 'svc/', ['Dockerfile', 'vendor-sub/Dockerfile', 'vendor-sub/ci.yml', 'vendor-subway/x']),
    ).toEqual([{ path: 'Dockerfile' }, { path: 'vendor-sub/Dockerfile' }, { path: 'vendor-sub/ci.yml' }]);
  });

  it('parentsOf reads the parents of a raw commit object, and nothing from its message', () => {
    const commit = `tree ${oid('t')}\nparent ${oid('a')}\nparent ${oid('b')}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nparent ${oid('c')}\n`;
    expect(parentsOf(commit)).toEqual([oid('a'), oid('b')]);
  });

  it("git's environment: no inherited GIT_* variable, no prompt, no search above the workspace; a secret only in this child's config variables", () => {
    const env = gitEnv(
      '/runner/work/repo',
      [['http.https://github.com/.extraheader', 'AUTHORIZATION: basic c2VjcmV0']],
      {
        PATH: '/usr/bin',
        GIT_DIR: '/elsewhere/.git',
        GIT_TRACE_CURL: '1',
        git_config_parameters: "'core.hooksPath=/tmp/evil'",
      },
    );
    expect(env).toEqual({
      PATH: '/usr/bin',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CEILING_DIRECTORIES: '/runner/work/repo',
      GIT_NO_REPLACE_OBJECTS: '1',
      GIT_OPTIONAL_LOCKS: '0',
      GCM_INTERACTIVE: 'never',
      LC_ALL: 'C',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_0: 'AUTHORIZATION: basic c2VjcmV0',
    });
  });

  it('the token travels as one Authorization header, replacing one actions/checkout persisted for the server, and no error shows it', async () => {
    const seen: string[][] = [];
    const server = createServer((req, res) => {
      seen.push(req.headersDistinct['authorization'] ?? []);
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const repo = mkdtempSync(join(tmpdir(), 'pc-auth-'));
      git(repo, ['init', '-q']);
      git(repo, ['config', `http.${base}/.extraheader`, 'AUTHORIZATION: basic cGVyc2lzdGVk']);
      const token = 'ghs_authconfigtesttoken42';
      const { secretConfig, redact } = authConfig(base, token);
      const err = await runGit(['ls-remote', `${base}/acme/widgets`], {
        cwd: repo,
        ceiling: dirname(repo),
        secretConfig,
        redact,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitError);
      expect(String((err as Error).message)).not.toContain(token);
      expect(seen.length).toBeGreaterThan(0);
      const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
      for (const headers of seen) expect(headers).toEqual([`basic ${basic}`]);
    } finally {
      server.close();
    }
  });
});
