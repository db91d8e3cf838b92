# One image for every healthgraph process; docker-compose.yml picks the command.
FROM python:3.12-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY subgraphs ./subgraphs
COPY router ./router
COPY schema ./schema
COPY supergraph.yaml router.yaml ./
RUN pip install --no-cache-dir . && useradd --system --uid 10001 healthgraph
USER healthgraph
EXPOSE 4000 4001 4002 4003
CMD ["healthgraph", "--help"]
