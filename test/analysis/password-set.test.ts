import { describe, expect, it } from 'vitest';
import { literalPasswords } from '../../src/analysis/password-set.js';
import { parseShell } from '../../src/analysis/shell.js';

const found = (script: string) => literalPasswords(parseShell(script)).map((p) => `${p.tool} ${p.user}:${p.password}`);

describe('passwords set from a literal', () => {
  it('reads chpasswd and passwd --stdin fed by echo or printf', () => {
    expect(found("echo 'root:root' | chpasswd")).toEqual(['chpasswd root:root']);
    expect(found('echo -e "root:toor\\nadmin:admin" | sudo chpasswd')).toEqual(['chpasswd root:toor', 'chpasswd admin:admin']);
    expect(found("printf 'dev:dev\\n' | /usr/sbin/chpasswd")).toEqual(['chpasswd dev:dev']);
    expect(found('useradd app && echo "S3cret!" | passwd --stdin app')).toEqual(['passwd app:S3cret!']);
    expect(found('if true; then echo "u:p4ss" | chpasswd; fi')).toEqual(['chpasswd u:p4ss']);
  });

  it('skips values not written in the file, hashes and other readers', () => {
    expect(found('echo "${USERNAME}:${NEW_PASSWORD}" | chpasswd')).toEqual([]);
    expect(found('echo "app:$(cat /run/secrets/pw)" | chpasswd')).toEqual([]);
    expect(found("echo 'app:$6$salt$hash' | chpasswd -e")).toEqual([]);
    expect(found("printf '%s:%s' app \"$PW\" | chpasswd")).toEqual([]);
    expect(found("echo 'root:root' | tee users.txt")).toEqual([]);
    expect(found('echo "pw" | passwd app')).toEqual([]);
    expect(found("echo 'root:' | chpasswd")).toEqual([]);
  });
});
