import { commandSpan } from '../../analysis/command-span.js';
import { dockerfileScripts } from '../../analysis/scripts.js';
import { parseShell, programName, unwrap } from '../../analysis/shell.js';
import type { Rule } from '../../core/types.js';
import type { DockerfileDoc } from '../../parsers/dockerfile.js';

export default {
  id: 'sudo',
  title: 'sudo in a Dockerfile RUN',
  severity: 'low',
  area: 'containers',
  summary: 'A Dockerfile `RUN` runs a command through `sudo` (in any command position: after `&&`, in a pipeline, behind `env` or `xargs`).',
  rationale:
    '`sudo` inside an image build is a sign of confusion about users: RUN already runs as root unless a `USER` says otherwise, and a ' +
    'non-root `USER` that can `sudo` is root in all but name, since the sudoers entry stays in the image for anyone who gets a shell in ' +
    'the container. sudo also behaves unpredictably without a TTY and can drop or keep environment variables unexpectedly. ' +
    'Workflow `run:` steps are not reported: GitHub-hosted runners run jobs as an unprivileged user with password-less sudo by design. ' +
    'The word `sudo` inside a string (`echo sudo`) or as a package name (`apt-get install sudo`) is not a sudo call.',
  fix:
    'Run the privileged steps before the `USER` instruction that switches to the unprivileged user (or switch back with `USER root` for them), ' +
    'and drop sudo from the image. If the container truly needs to gain privileges at run time, use `gosu`/`su-exec` in the entrypoint instead.',
  references: [
    'https://github.com/hadolint/hadolint/wiki/DL3004',
    'https://docs.docker.com/build/building/best-practices/#user',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM ubuntu:24.04\nRUN sudo apt-get update\n', line: 2 },
      {
        path: 'Dockerfile',
        text: 'FROM ubuntu:24.04\nUSER app\nRUN mkdir -p /home/app/bin && \\\n    sudo chown app /opt\n',
        line: 4,
      },
    ],
    good: [
      {
        path: 'Dockerfile',
        text: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends sudo && echo "use sudo carefully"\nUSER app\n',
      },
    ],
  },
  reads: ['dockerfile'],
  check(doc, ctx) {
    for (const block of dockerfileScripts(doc)) {
      for (const c of parseShell(block.script).commands) {
        // The wrapper words in front of the command (`sudo -u x`, `env A=1 sudo`, `xargs sudo`) hold every sudo in command position.
        const wrappers = c.argv.slice(0, c.argv.length - unwrap(c.argv).length);
        const sudo = wrappers.find((w) => programName(w) === 'sudo');
        if (!sudo) continue;
        ctx.report({
          message:
            `\`sudo ${programName(unwrap(c.argv)[0])}\` uses sudo in the image build: RUN already runs as root unless USER says otherwise. ` +
            'Run it before switching USER (or under `USER root`) and do not ship sudo in the image.',
          at: commandSpan(block, c),
        });
      }
    }
  },
} satisfies Rule<DockerfileDoc>;
