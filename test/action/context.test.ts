import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeGroupFrom, pullRequestFrom, pushFrom, readContext } from '../../src/action/context.js';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'e2e', 'pull_request.json');
const dir = mkdtempSync(join(tmpdir(), 'pc-ctx-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const base = {
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_SHA: 'mergesha',
  GITHUB_REPOSITORY: 'acme/webshop',
  GITHUB_SERVER_URL: 'https://github.example.com/',
  GITHUB_RUN_ID: '777',
};

describe('run context', () => {
  it('reads a pull_request payload: number, head sha, not a fork', () => {
    const ctx = readContext({ ...base, GITHUB_EVENT_PATH: fixture });
    expect(ctx).toEqual({
      eventName: 'pull_request',
      publicRepository: true,
      // The branch whose protection review-policy reads, from the payload's repository.
      defaultBranch: 'main',
      repository: 'acme/webshop',
      serverUrl: 'https://github.example.com',
      apiUrl: 'https://api.github.com',
      runUrl: 'https://github.example.com/acme/webshop/actions/runs/777',
      sha: '3c1a8f2b9d4e5f60718293a4b5c6d7e8f9012345',
      pullRequest: {
        number: 42,
        headSha: '3c1a8f2b9d4e5f60718293a4b5c6d7e8f9012345',
        baseSha: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
        headRepo: 'acme/webshop',
        baseRepo: 'acme/webshop',
        isFork: false,
      },
    });
  });

  it('detects a fork, and a deleted fork', () => {
    const payload = JSON.parse(readFileSync(fixture, 'utf8'));
    payload.pull_request.head.repo.full_name = 'mallory/webshop';
    expect(pullRequestFrom(payload)?.isFork).toBe(true);
    payload.pull_request.head.repo = null;
    expect(pullRequestFrom(payload)).toMatchObject({ isFork: true, number: 42 });
  });

  it('uses GITHUB_SHA outside pull requests', () => {
    const push = file('push.json', JSON.stringify({ ref: 'refs/heads/main', after: 'x', repository: { full_name: 'acme/webshop' } }));
    const ctx = readContext({ ...base, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: push });
    expect(ctx.sha).toBe('mergesha');
    expect(ctx.pullRequest).toBeUndefined();
  });

  it('never throws on a missing, empty, invalid or odd payload', () => {
    for (const path of [join(dir, 'missing.json'), file('empty.json', ''), file('bad.json', '{"pull_request": '), file('arr.json', '[1,2]'), file('null.json', 'null'), file('num.json', '{"pull_request":{"number":"42"}}'), dir]) {
      const ctx = readContext({ ...base, GITHUB_EVENT_PATH: path });
      expect(ctx.pullRequest).toBeUndefined();
      expect(ctx.sha).toBe('mergesha');
    }
    expect(readContext({})).toEqual({ eventName: '', repository: '', serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', sha: '' });
  });

  it('reads the base of a merge_group (base_sha) and of a push (before, ref, default branch); only for those events', () => {
    const group = file('group.json', JSON.stringify({ merge_group: { head_sha: 'h'.repeat(40), base_sha: 'b'.repeat(40), base_ref: 'refs/heads/main' } }));
    const ctx = readContext({ ...base, GITHUB_EVENT_NAME: 'merge_group', GITHUB_EVENT_PATH: group });
    expect(ctx.mergeGroup).toEqual({ baseSha: 'b'.repeat(40), headSha: 'h'.repeat(40) });
    expect(ctx.push).toBeUndefined();
    expect(readContext({ ...base, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: group }).mergeGroup).toBeUndefined();

    const push = file('push2.json', JSON.stringify({ ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'c'.repeat(40), repository: { default_branch: 'main' } }));
    expect(readContext({ ...base, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: push }).push).toEqual({ ref: 'refs/heads/main', before: 'a'.repeat(40), defaultBranch: 'main' });
    for (const odd of [null, [], {}, { merge_group: { base_sha: 5 } }, { ref: 7 }]) {
      expect(mergeGroupFrom(odd)).toBeUndefined();
      expect(pushFrom(odd)).toBeUndefined();
    }
  });
});
