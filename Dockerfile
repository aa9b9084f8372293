# Portcullis for CI systems other than GitHub Actions: the CLI bundle on Node 24, run as an unprivileged user.
#   docker build -t portcullis .
#   docker run --rm -v "$PWD:/src:ro" portcullis scan .
# The base is pinned by digest (Dependabot's docker ecosystem keeps it current); the bundle carries every dependency,
# so nothing is installed at build time.
FROM node:24-alpine@sha256:e67514e5d0f6c46656005e1b693b2ec9d52e80b641307de684d4a015ba7a4eaf
LABEL org.opencontainers.image.title="portcullis" \
      org.opencontainers.image.description="A CI security gate: containers, workflows, supply chain and secrets in one step" \
      org.opencontainers.image.licenses="MIT"
COPY LICENSE README.md /opt/portcullis/
COPY dist/cli.js dist/cli.js.map dist/cli-licenses.txt dist/package.json /opt/portcullis/dist/
USER node
WORKDIR /src
ENTRYPOINT ["node", "/opt/portcullis/dist/cli.js"]
CMD ["scan", "."]
