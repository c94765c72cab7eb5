# SIA's container image: gunicorn (`sia serve`) with production settings; PostgreSQL and the background worker run
# beside it (compose.yaml; docs/deployment.md). Build: docker build -t sia .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# graphviz draws the diagrams, DejaVu the text in generated pictures. LibreOffice is not needed to serve SIA (only
# the test suite converts documents to PDF): left out to keep the image small.
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/sia sia \
    && mkdir -p /var/lib/sia/media /home/sia/static \
    && chown -R sia:sia /var/lib/sia /home/sia

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
# The [s3] extra: media on S3-compatible object storage when SIA_MEDIA_STORAGE=s3.
RUN pip install ".[s3]"

ENV SIA_ENV=production \
    SIA_VAR_DIR=/var/lib/sia \
    SIA_MEDIA_ROOT=/var/lib/sia/media \
    SIA_STATIC_ROOT=/home/sia/static

USER sia
EXPOSE 8000
VOLUME ["/var/lib/sia/media"]
# Migrates, collects static files (served by WhiteNoise) and runs gunicorn; `sia db_worker` runs as its own container.
CMD ["sia", "serve", "--no-worker", "0.0.0.0:8000"]
