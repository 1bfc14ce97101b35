"""gunicorn settings for Urja's web nodes (docs/operations/deployment.md). Threads share one psycopg
pool per worker process (URJA_DB_POOL_MAX), so a node opens at most workers × URJA_DB_POOL_MAX
connections; size both so that nodes × that stays under PostgreSQL's max_connections (or PgBouncer's
default_pool_size)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60  # bill PDFs and XLSX reports are the slowest pages; bill runs never run in a request
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then (memory fragmentation), staggered
max_requests_jitter = 500
accesslog = "-"  # through Python's logging: masked like every other record (docs/operations/README.md)
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
