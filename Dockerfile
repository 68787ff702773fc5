# The image the generated Kubernetes CronJobs and the exporter Deployment run:
# ghcr.io/tollgate/tollgate:<package version>, or whatever `runtime.image` names (docs/synth.md).
#
#   docker build -t ghcr.io/tollgate/tollgate:0.1.0 .
#
# It holds the CLI only. The manifests are the organization's: bake them into an image of your own
# built FROM this one (COPY into /srv/tollgate, the default runtime.workdir), or mount them there.
# Runs as uid 65532, the user the generated pods require (runAsNonRoot, runAsUser: 65532).

# Build: compile and bundle, then pack exactly what the npm package ships (package.json "files").
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/client/package.json packages/client/
COPY packages/webhooks/package.json packages/webhooks/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json index.ts ./
COPY scripts ./scripts
COPY packages ./packages
COPY model ./model
COPY load ./load
COPY redact ./redact
COPY policies ./policies
COPY report ./report
COPY assess ./assess
COPY infra ./infra
COPY checks ./checks
COPY cli ./cli
COPY tools ./tools
COPY util ./util
COPY bin ./bin
COPY schemas ./schemas
COPY docs ./docs
COPY examples ./examples
COPY manifests ./manifests
COPY secrets-manifest ./secrets-manifest
COPY tollgate.yaml waivers.yaml README.md LICENSE ./
RUN npm run build && npm pack --ignore-scripts --pack-destination /tmp

# Run: the packed tollgate installed globally with its runtime dependencies only.
FROM node:20-slim
ENV NODE_ENV=production
COPY --from=build /tmp/tollgate-*.tgz /tmp/
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/tollgate-*.tgz \
 && rm /tmp/tollgate-*.tgz \
 && npm cache clean --force \
 && mkdir -p /srv/tollgate
WORKDIR /srv/tollgate
USER 65532:65532
ENTRYPOINT ["tollgate"]
CMD ["--help"]
