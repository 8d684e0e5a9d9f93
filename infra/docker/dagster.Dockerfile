# The Dagster code location with its webserver and daemon; the run launcher starts each run
# from this image too. Build from the repository root:
#   docker build -f infra/docker/dagster.Dockerfile -t clickstream-dagster .

FROM python:3.11.18-slim-bookworm AS python
RUN pip install --no-cache-dir uv==0.13.8
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
# The pipeline's group: Dagster with Postgres storage and the ECS run launcher (the
# production instance, infra/dagster/dagster.yaml); no DuckDB, the engine is Athena.
RUN uv sync --locked --no-default-groups --group pipeline --no-install-project
COPY README.md funnels.toml ./
COPY ingest_service ./ingest_service
COPY orchestration ./orchestration
RUN uv sync --locked --no-default-groups --group pipeline

FROM python:3.11.18-slim-bookworm
RUN useradd --system --uid 10001 --home-dir /opt/dagster --shell /usr/sbin/nologin dagster
WORKDIR /app
COPY --from=python /app /app
COPY workspace.yaml ./
COPY --chown=10001:10001 infra/dagster/dagster.yaml /opt/dagster/home/dagster.yaml
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DAGSTER_HOME=/opt/dagster/home
USER 10001
EXPOSE 3000
CMD ["dagster-webserver", "--host", "0.0.0.0", "--port", "3000", "--workspace", "workspace.yaml"]
