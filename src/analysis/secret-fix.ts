import type { FileFormat } from './file-format.js';

/**
 * Where a secret found written in a file should come from instead (an imperative, after "then"), in that file's own terms: a Dockerfile takes it
 * through a secret mount, a compose file from `${VAR}` or `secrets:`, a Kubernetes manifest from a Secret, a workflow
 * from `${{ secrets.NAME }}`, an action from an input its caller fills (actions cannot read the secrets context).
 */
export const SECRET_SOURCE: Readonly<Record<FileFormat, string>> = {
  dockerfile: 'pass it to the build with a secret mount (`RUN --mount=type=secret,id=<name>`) or to the container when it starts',
  compose: 'put a `${VARIABLE}` in its place, with the value in an untracked `.env` file, or use compose `secrets:`',
  kubernetes: 'move it to a Secret and read it with `valueFrom.secretKeyRef` or a mounted secret volume',
  workflow: 'move it to an Actions secret and read it with `${{ secrets.NAME }}`',
  action: 'take it as an input declared under `inputs:` (`${{ inputs.NAME }}`), which the calling workflow fills from its secrets',
  manifest: 'let the package manager or git authenticate from an untracked configuration or an environment variable instead',
  lockfile: "keep the credential in the package manager's untracked configuration or an environment variable, and regenerate the lockfile without it",
  other: 'load it at run time from a secret store or an environment variable instead',
};
