# The intake (`python -m ingest_service`, port 8000) and the dashboard
# (`python -m orchestration.dashboard`, port 8001), two containers of the ingest task, with
# the built web app. No Dagster, DuckDB or Great Expectations: the dashboard queries Athena.
# Build from the repository root:
#   docker build -f infra/docker/ingest.Dockerfile -t clickstream-ingest .

# The web app (frontend/dist), from its own lock file.
FROM node:20.20.2-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./
RUN npm run build

# The Python environment, exactly as uv.lock pins it: the project's own dependencies (the
# intake's) and the dashboard's group, no other.
FROM python:3.11.18-slim-bookworm AS python
RUN pip install --no-cache-dir uv==0.13.8
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-default-groups --group dashboard --no-install-project
COPY README.md funnels.toml ./
COPY ingest_service ./ingest_service
COPY orchestration ./orchestration
RUN uv sync --locked --no-default-groups --group dashboard

FROM python:3.11.18-slim-bookworm
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin clickstream
WORKDIR /app
# The project is installed in place (editable), so the service finds ../frontend/dist.
COPY --from=python /app /app
COPY --from=frontend /src/frontend/dist /app/frontend/dist
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1
USER 10001
EXPOSE 8000 8001
CMD ["python", "-m", "ingest_service", "--host", "0.0.0.0", "--port", "8000"]
