import { findDownloadExecs, type DownloadExec } from '../../analysis/download-exec.js';
import { scriptsOf, type ScriptDoc } from '../../analysis/scripts.js';
import type { Rule } from '../../core/types.js';

const host = (url: string | undefined): string => {
  if (!url) return 'a URL';
  try {
    return new URL(url).host || url;
  } catch {
    return url.slice(0, 60);
  }
};

function message(d: DownloadExec): string {
  const from = host(d.url);
  const what =
    d.how === 'pipe'
      ? `\`${d.downloader} … | ${d.runner}\` runs a script from ${from} as it downloads it`
      : d.how === 'substitution'
        ? `\`${d.runner}\` runs the output of \`${d.downloader}\` (${from}) directly`
        : `\`${d.file}\` is downloaded with ${d.downloader} from ${from} and run without a checksum or signature check`;
  return (
    `${what}: whoever controls that URL or the path to it runs code here. Download to a file, verify its SHA-256 ` +
    '(`echo "<sha256>  install.sh" | sha256sum -c -`), then run it; or pin the URL to a commit SHA, or install with a package manager.'
  );
}

export default {
  id: 'curl-pipe-shell',
  title: 'Downloaded script runs without verification',
  severity: 'high',
  alsoBlocksIn: ['dev'],
  area: 'supply-chain',
  summary:
    'A Dockerfile `RUN`, a workflow `run:` step, a shell script or a Makefile recipe executes code straight from the network: `curl … | sh`, `bash <(curl …)`, ' +
    '`sh -c "$(curl …)"`, or a downloaded file run without a checksum or signature check.',
  rationale:
    'The script is fetched at build time from a URL whose content can change at any moment: a compromised host, a hijacked ' +
    'account, a moved branch or a man-in-the-middle puts arbitrary code into the image or onto a CI runner that holds secrets. ' +
    'Piping into a shell also runs a truncated download as far as it got. Nothing records which script ran, so the build is not reproducible. ' +
    'A URL pinned to a 40-hex commit, and a download verified with `sha256sum -c`, `gpg --verify` or `cosign verify-blob` before it runs, are not reported.',
  fix:
    'Download to a file, check it against a known digest, then run it: `curl -fsSLo install.sh https://… && echo "<sha256>  install.sh" | sha256sum -c - && sh install.sh`. ' +
    'Better still, install the tool with the package manager, a pinned release binary with a checksum, or a SHA-pinned action.',
  references: [
    'https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies',
    'https://docs.docker.com/build/building/best-practices/#run',
    'https://www.idontplaydarts.com/2016/04/detecting-curl-pipe-bash-server-side/',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get update && \\\n    curl -fsSL https://get.example.com | sudo -E bash -\n', line: 2 },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo start\n          bash <(curl -s https://example.com/install.sh)\n',
        line: 8,
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: wget -q https://example.com/setup.sh -O /tmp/setup.sh\n      - run: sh /tmp/setup.sh\n',
        line: 7,
      },
      { path: 'Dockerfile', text: 'FROM alpine:3.20\nRUN <<EOF\nset -e\nsh -c "$(curl -fsSL https://example.com/i.sh)"\nEOF\n', line: 4 },
      {
        path: 'action.yml',
        text: 'name: setup\nruns:\n  using: composite\n  steps:\n    - run: curl -fsSL https://get.example.com/install.sh | sh\n      shell: bash\n',
        line: 5,
      },
      {
        path: 'scripts/setup.sh',
        text: '#!/usr/bin/env bash\nset -euo pipefail\nif ! command -v tool >/dev/null; then\n  curl -fsSL https://get.example.com/install.sh | bash\nfi\n',
        line: 4,
      },
      { path: 'Makefile', text: '.PHONY: tools\ntools:\n\t@curl -sSfL https://get.example.com/lint.sh | sh -s -- -b $(GOPATH)/bin v1.2.3\n', line: 3 },
    ],
    good: [
      {
        path: 'Dockerfile',
        text:
          'FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://example.com/i.sh \\\n' +
          ' && echo "0000000000000000000000000000000000000000000000000000000000000000  /tmp/i.sh" | sha256sum -c - \\\n && sh /tmp/i.sh\n',
      },
      {
        path: '.github/workflows/ci.yml',
        text:
          'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - run: curl -s https://raw.githubusercontent.com/o/r/0123456789abcdef0123456789abcdef01234567/install.sh | bash\n' +
          '      - run: curl -s https://api.github.com/repos/o/r | python3 -c "import json,sys; print(json.load(sys.stdin))"\n',
      },
      {
        path: 'scripts/setup.sh',
        text: '#!/bin/sh\nset -e\ncurl -fsSLo /tmp/i.sh https://get.example.com/install.sh\necho "0000000000000000000000000000000000000000000000000000000000000000  /tmp/i.sh" | sha256sum -c -\nsh /tmp/i.sh\n',
      },
    ],
  },
  reads: ['dockerfile', 'workflow', 'shell'],
  check(doc, ctx) {
    const blocks = scriptsOf(doc);
    for (const d of findDownloadExecs(blocks)) {
      const start = d.block.lineSpan(d.line);
      const end = d.block.lineSpan(d.endLine);
      const at = { line: start.line, column: start.column, endLine: end.endLine, endColumn: end.endColumn };
      ctx.report({ message: message(d), at, confidence: d.url || d.how === 'file' ? 'high' : 'medium' });
    }
  },
} satisfies Rule<ScriptDoc>;
