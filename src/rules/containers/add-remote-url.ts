import { copyArgs, resolveIn } from '../../analysis/docker-args.js';
import type { Rule } from '../../core/types.js';
import type { DockerfileDoc } from '../../parsers/dockerfile.js';

const REMOTE = /^(https?|git|ssh):\/\/|^[\w.-]+@[\w.-]+:/i;
/** A Git source (Docker clones these): git://, ssh, git@host:, a `.git` path, or the `?ref=`/`?checksum=` query form. */
const GIT = /^(git|ssh):\/\/|^[\w.-]+@[\w.-]+:|\.git([#?/]|$)|[?&](ref|tag|branch|checksum|subdir)=/i;
/** A Git source pinned to a full commit: `#<sha>`, `#<sha>:subdir`, or `?ref=<sha>` / `?checksum=<sha>`. */
const GIT_PINNED = /#[0-9a-f]{40}(:|$)|[?&](ref|checksum)=[0-9a-f]{40}(&|$)/i;

const host = (url: string): string => {
  try {
    return new URL(url).host || url.slice(0, 60);
  } catch {
    return url.slice(0, 60);
  }
};

export default {
  id: 'add-remote-url',
  title: 'ADD downloads from a URL without a checksum',
  severity: 'medium',
  alsoBlocksIn: ['dev'],
  area: 'containers',
  summary:
    'A Dockerfile `ADD` fetches an `http(s)://` URL without `--checksum=sha256:…`, or clones a Git repository without pinning it to a full commit SHA.',
  rationale:
    '`ADD <url>` puts whatever the server returns at build time into the image: the file can change between builds, and a compromised ' +
    'or spoofed server changes the image without any change to the Dockerfile. Builds are not reproducible and the cache hides when it ' +
    'happened. `ADD --checksum=sha256:<digest>` makes BuildKit refuse any other content. A Git source pinned to a 40-hex commit ' +
    '(`#<sha>`, `#<sha>:dir`, `?ref=<sha>` or `?checksum=<sha>`) is content-addressed by the commit and passes; a branch or tag can move and is reported. ' +
    'ARG and ENV values in scope are substituted before the URL is read.',
  fix:
    'Add the digest: `ADD --checksum=sha256:<digest> https://example.com/tool.tgz /tmp/` (Dockerfile syntax 1.6+), or download with ' +
    '`curl` and check `sha256sum -c` in a `RUN`. Pin Git sources to a commit: `ADD https://github.com/o/r.git#<commit sha> /src`.',
  references: [
    'https://docs.docker.com/reference/dockerfile/#add---checksum',
    'https://docs.docker.com/build/building/best-practices/#add-or-copy',
    'https://github.com/hadolint/hadolint/wiki/DL3020',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM alpine:3.20\nADD https://example.com/tool-1.2.tar.gz /tmp/\n', line: 2 },
      {
        path: 'Dockerfile',
        text: 'FROM alpine:3.20\nARG REPO=https://github.com/example/tools.git\nADD ${REPO}#main /src\n',
        line: 3,
      },
    ],
    good: [
      {
        path: 'Dockerfile',
        text:
          'FROM alpine:3.20\n' +
          'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.tar.gz /tmp/\n' +
          'ADD https://github.com/example/tools.git#0123456789abcdef0123456789abcdef01234567 /src\nADD local.tar.gz /opt/\n',
      },
    ],
  },
  reads: ['dockerfile'],
  check(doc, ctx) {
    for (const stage of doc.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword.toUpperCase() !== 'ADD') continue;
        const checksum = ins.flags.some((f) => f.name === 'checksum' && f.value);
        for (const src of copyArgs(ins).sources) {
          const url = resolveIn(doc, ins, src.value).value;
          if (!REMOTE.test(url)) continue;
          const git = GIT.test(url);
          if (git ? GIT_PINNED.test(url) || checksum : checksum) continue;
          ctx.report({
            message: git
              ? `ADD clones ${host(url)} at a branch or tag that can move: pin it to a full commit SHA (\`#<sha>\`) so the image gets the code you reviewed.`
              : `ADD downloads from ${host(url)} without --checksum: the server decides what goes into the image. Add \`--checksum=sha256:<digest>\` or download and verify with sha256sum in a RUN.`,
            at: src.span,
          });
        }
      }
    }
  },
} satisfies Rule<DockerfileDoc>;
