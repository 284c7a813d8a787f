# The trainer's image: `trainer serve` on 0.0.0.0:8000, as a non-root user, with no compiler.
#   docker build -t trainer:local .
#   docker run --rm -e TRAINER_DATABASE_URL=... trainer:local db upgrade     # the migration job
#   docker run -p 8000:8000 -e TRAINER_DATABASE_URL=... trainer:local        # serve (the default)
# compose.yaml runs the whole set (PostgreSQL, Redis, two replicas, HAProxy); docs/deployment.md.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: the wheel, and a virtual environment with it and its dependencies ---
FROM ${PYTHON_IMAGE} AS build
# A compiler, for any dependency without a wheel for this platform; it stays in this stage.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml constraints.txt README.md LICENSE CHANGELOG.md ./
COPY trainer ./trainer
# The same command as tests/packaging/test_wheel.py (which checks that this line is here).
RUN python -m pip wheel --no-deps --wheel-dir /dist .
RUN python -m venv /opt/trainer \
    && /opt/trainer/bin/pip install --no-cache-dir --disable-pip-version-check \
        -c constraints.txt /dist/*.whl

# --- runtime: the virtual environment only ---
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 trainer \
    && useradd --system --uid 10001 --gid trainer --home-dir /var/lib/trainer --create-home trainer
COPY --from=build /opt/trainer /opt/trainer
ENV PATH=/opt/trainer/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    XDG_DATA_HOME=/var/lib/trainer \
    TRAINER_HOST=0.0.0.0 \
    TRAINER_PORT=8000
USER trainer
WORKDIR /var/lib/trainer
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/livez', timeout=2)"]
ENTRYPOINT ["trainer"]
CMD ["serve"]
