# Demarche in production: gunicorn behind `demarche serve`, a real PostgreSQL
# named by DATABASE_URL (see compose.yaml), a non-root user.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 demarche
WORKDIR /app

COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install .
COPY config ./config
COPY seeds ./seeds

ENV DEMARCHE_CONFIG_DIR=/app/config \
    DEMARCHE_SEEDS_DIR=/app/seeds \
    DEMARCHE_DATA_DIR=/home/demarche/data \
    DEMARCHE_HOST=0.0.0.0 \
    DEMARCHE_PORT=8000 \
    DEMARCHE_ENVIRONMENT=production
# DATABASE_URL and DEMARCHE_SECRET_KEY are given at run time; without
# DATABASE_URL the container runs the embedded PostgreSQL in DEMARCHE_DATA_DIR.

USER demarche
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)" || exit 1
CMD ["demarche", "serve"]
