# syntax=docker/dockerfile:1
# One image with every Switchboard executable; the command picks the service:
#   docker build -t switchboard .
#   docker run --rm -e REDIS_URL=redis://redis:6379/0 switchboard scraper
# Checked without a Docker engine by Tests/DeploymentTests (stages, products, user, health check).

# ---- build: Swift toolchain, release binaries with the Swift runtime linked in ----
FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libhiredis-dev libxml2-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Dependencies first: this layer (.build/checkouts) is reused until Package.swift changes.
COPY Package.swift ./
RUN swift package resolve
COPY . .
# Every service executable (named after the registry) plus the operator's CLI. Resource bundles
# (`*.resources`, e.g. the gateway's openapi.json) are copied too: they must sit next to the executables.
ARG PRODUCTS="gateway pr-reviewer code-writer scraper repo-manager assistant orchestrator agentctl"
RUN set -eu; \
    for product in $PRODUCTS; do \
      swift build -c release --static-swift-stdlib --product "$product"; \
    done; \
    bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"; \
    mkdir -p /out; \
    for product in $PRODUCTS; do cp "$bin/$product" /out/; done; \
    cp -R "$bin"/*.resources /out/

# ---- runtime: only the shared libraries the binaries load, git for the git agents, bubblewrap for their sandbox ----
# bubblewrap runs test commands and the Claude CLI isolated (SANDBOX=bwrap); it needs user namespaces, which
# compose.yaml and deploy/k8s allow for the agents that run untrusted code (no privileges, no setuid bwrap).
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libhiredis0.14 libxml2 git bubblewrap ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 switchboard \
 && useradd --system --uid 10001 --gid switchboard --home-dir /app --shell /usr/sbin/nologin switchboard \
 && mkdir -p /data/workspace \
 && chown -R switchboard:switchboard /data
COPY --from=build /out/ /app/bin/
COPY Registry/ /app/Registry/
ENV PATH="/app/bin:${PATH}" \
    SB_REGISTRY=/app/Registry/agents.yaml \
    WORKSPACE_DIR=/data/workspace \
    METRICS_PORT=9090 \
    SB_SHUTDOWN_GRACE=25s
WORKDIR /app
USER 10001:10001
VOLUME ["/data/workspace"]
EXPOSE 8080 9090
# Agents serve /healthz on METRICS_PORT; the gateway serves it on its own GATEWAY_PORT.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${METRICS_PORT}/healthz" \
   || curl -fsS -o /dev/null "http://127.0.0.1:${GATEWAY_PORT:-8080}/healthz" || exit 1
# The service is the command: gateway, pr-reviewer, code-writer, scraper, repo-manager, assistant,
# orchestrator or agentctl. Each reads its configuration from the environment.
CMD ["gateway"]
