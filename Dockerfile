# meetbot: the same `meetbot serve` the tests start, on a slim Python, as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install . && useradd --create-home --uid 10001 meetbot && mkdir /data && chown meetbot /data

USER meetbot
# SQLite by default (a volume at /data); set MEETBOT_DATABASE_URL for PostgreSQL and several instances.
ENV MEETBOT_DB=/data/meetbot.db
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=2).status != 200)"
CMD ["meetbot", "serve", "--host", "0.0.0.0", "--port", "3000", "--workers", "2"]
