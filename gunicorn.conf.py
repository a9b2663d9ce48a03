"""gunicorn settings of Coalición: `gunicorn -c gunicorn.conf.py coalicion.wsgi`.

Threaded workers (gthread): a page waiting on the database does not hold a
whole process, and static files (served by whitenoise when no front proxy
serves them) are not queued behind slow pages. Sizing: README, "Sizing the
application servers". Every value can be set from the environment.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}.") from None


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# One process per core plus one; threads carry the waiting on the database.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 8)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that no slow leak lasts.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# gunicorn's control socket (for `gunicornc`) only when a path is given: its
# default path is one per user, which two instances on a machine would share.
_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not _control
if _control:
    control_socket = _control
# The application logs each request itself; gunicorn's access log is off
# unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
