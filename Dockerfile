# praevnet in production: gunicorn behind a TLS-terminating proxy, PostgreSQL as a separate service.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint needs Pango; libharfbuzz-subset0 makes its font subsetting many times faster.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core shared-mime-info postgresql-client curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY praevnet praevnet
COPY partners partners
COPY agreements agreements
COPY meetings meetings
COPY goals goals
RUN pip install .
COPY . .
# collectstatic with the production storage (hashed names + manifest); the key and URL are for this step only
RUN DEBUG=false SECRET_KEY=only-for-collectstatic-during-the-image-build-0123456789abcdef \
    ALLOWED_HOSTS=build DATABASE_URL=postgresql://build@localhost/build \
    python manage.py collectstatic --noinput -v 0 \
 && useradd --system --home /app praevnet && mkdir -p /app/media && chown -R praevnet /app/media

USER praevnet
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn praevnet.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --access-logfile -"]
