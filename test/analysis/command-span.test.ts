import { parse as tokenize } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { parseShell } from '../../src/analysis/shell.js';
import { prepareLine, tokenOffsets } from '../../src/analysis/shell-positions.js';
import { findRule } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

/** A RUN shaped like the official Python images' build step: a long `\`-continued script with comment lines inside it. */
const PYTHON_RUN = [
  'FROM debian:bookworm-slim',
  'ENV PYTHON_VERSION 3.12.9',
  'RUN set -eux; \\',
  '\t\\',
  '\tcd /usr/src/python; \\',
  '\t./configure \\',
  '\t\t--enable-shared \\',
  '\t; \\',
  '\tmake -j "$(nproc)" \\',
  '\t\t"LDFLAGS=${LDFLAGS:-}" \\',
  '\t; \\',
  '\tmake install; \\',
  '\t\\',
  '\tpip3 install \\',
  '\t\t--disable-pip-version-check \\',
  '\t\t--no-cache-dir \\',
  '\t\t--no-compile \\',
  "\t\t'setuptools==79.0.1' \\",
  '# https://github.com/docker-library/python/issues/1023',
  "\t\t'wheel<0.46' \\",
  '\t; \\',
  '\tpip3 --version',
  '',
].join('\n');

const only = (id: string, files: Record<string, string>) => scanFiles(files, { rules: [findRule(id)!] }).findings;

describe('command spans from token positions', () => {
  it('puts an install inside a long continued RUN on its own lines, not on an earlier line holding the same word', () => {
    // `make install` (line 12) holds "install" too: the span must start at pip3 (line 14) and end after 'wheel<0.46' (line 20).
    const [f, ...rest] = only('non-frozen-install', { Dockerfile: PYTHON_RUN });
    expect(rest).toEqual([]);
    expect([f!.line, f!.column, f!.endLine, f!.endColumn]).toEqual([14, 2, 20, 15]);
  });

  it('never cuts a command inside a word in the message', () => {
    const [f] = only('non-frozen-install', { Dockerfile: PYTHON_RUN });
    expect(f!.message).toMatch(/^`pip3 install --disable-pip-version-check --no-cache-dir --no-compile …` installs wheel<0\.46 /);
    expect(f!.message).not.toMatch(/setuptools=`|setuptools=[^=]/);
  });

  it('gives each of two commands on different continuation lines its own line', () => {
    const df = 'FROM debian:12\nRUN git clone x /opt/x \\\n    && sudo -u dev git -C /opt/x pull \\\n    && sudo -u dev bash /opt/x/install.sh\n';
    expect(only('sudo', { Dockerfile: df }).map((f) => [f.line, f.column, f.endLine, f.endColumn])).toEqual([
      [3, 8, 3, 38],
      [4, 8, 4, 42],
    ]);
  });

  it('maps columns on the RUN line past the keyword and its flags', () => {
    const df = 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add --allow-untrusted x\n';
    const [f] = only('unsigned-packages', { Dockerfile: df });
    expect([f!.line, f!.column, f!.endLine, f!.endColumn]).toEqual([2, 46, 2, 73]);
  });

  it('maps heredoc bodies line for line', () => {
    const df = 'FROM debian:12\nRUN <<EOF\nset -e\n  curl -k https://x.dev/a -o /a\nEOF\n';
    const [f] = only('tls-verification-disabled', { Dockerfile: df });
    expect([f!.line, f!.column, f!.endLine, f!.endColumn]).toEqual([4, 3, 4, 32]);
  });
});

describe('word positions', () => {
  it('follows quotes, continuations, backticks and GitHub expressions', () => {
    const script = 'A=1 echo "a b" \\\n  `date` ${{ github.sha }} \'c\'\nnext';
    const [echo, date, next] = parseShell(script).commands;
    expect(echo!.assignmentSpans).toEqual([{ line: 0, column: 0, endLine: 0, endColumn: 3 }]);
    expect(echo!.argv).toEqual(['echo', 'a b', '__GHA_EXPR__', 'c']);
    expect(echo!.spans).toEqual([
      { line: 0, column: 4, endLine: 0, endColumn: 8 },
      { line: 0, column: 9, endLine: 0, endColumn: 14 },
      { line: 1, column: 9, endLine: 1, endColumn: 26 },
      { line: 1, column: 27, endLine: 1, endColumn: 30 },
    ]);
    // the backtick substitution is a command of its own, its word placed inside the backticks
    expect(date!.argv).toEqual(['date']);
    expect(date!.spans[0]).toEqual({ line: 1, column: 3, endLine: 1, endColumn: 7 });
    expect(next!.spans[0]).toEqual({ line: 2, column: 0, endLine: 2, endColumn: 4 });
  });

  it('places the commands of a quoted $(…) at the quoted word', () => {
    const [outer, inner] = parseShell('sh -c "$(curl -fsSL https://x.dev/i.sh)"').commands;
    expect(inner!.argv[0]).toBe('curl');
    expect(inner!.spans[0]).toEqual(outer!.spans[2]);
  });

  it('finds the same tokens as shell-quote on awkward lines (a guard against a tokenizer upgrade)', () => {
    const lines = [
      `echo $'a\\'b' "x\\"y" 'q' a\\ b c#d && ls >> /f 2>&1 | tee -a x; (cd y) <(z) >(w) |& v`,
      'for f in *.txt; do cat "$f"; done; x=$(( 1 + 2 )); [ -s "/usr/$src" ]',
      `make -j "$nproc" "EXTRA_CFLAGS=\${EXTRA_CFLAGS:-}" "LDFLAGS=\${LDFLAGS:-} -Wl,-rpath='\\$\\$ORIGIN/../lib'"`,
      'cmd <<< "here" ;; esac; a &> b &>> c <> d >| e <& f',
    ];
    for (const line of lines) {
      const { prepared } = prepareLine(line);
      const tokens = tokenize(prepared, (key) => `$${key}`);
      expect(tokenOffsets(prepared, tokens), line).toBeDefined();
    }
  });
});
