"""gunicorn's settings: `gunicorn archive.wsgi`, run from the project's folder, reads this file.

Sized for the machine it runs on, with PostgreSQL beside it (the project's VM: 2 cores). A
request spends much of its time waiting for PostgreSQL, the rest rendering in Python, so
there are more request slots than cores, but not so many that Python and PostgreSQL fight
over the cores: 2 × cores + 1 processes of 2 threads each (10 at 2 cores; bench/README.md has
the measurements behind it). Threads (gthread) also keep connections alive between requests,
which sync workers cannot. Each thread holds one PostgreSQL connection (CONN_MAX_AGE), so a
host uses processes × threads connections: size PostgreSQL's max_connections, or a pooler,
for every host (docs/scaling.md).

Everything can be changed from the environment without editing this file:

- `GUNICORN_BIND` (e.g. `0.0.0.0:8000`, `unix:/run/archive.sock`), else `0.0.0.0:$PORT`
  when `PORT` is set (container platforms), else `127.0.0.1:8000` (behind a proxy);
- `GUNICORN_WORKERS`, `GUNICORN_THREADS`, `GUNICORN_TIMEOUT`, `GUNICORN_KEEPALIVE`;
- anything else with `GUNICORN_CMD_ARGS` (gunicorn's own), e.g. `--log-level debug`.
"""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers too)
    except AttributeError:
        return os.cpu_count() or 1


def _bind() -> str:
    if os.environ.get("GUNICORN_BIND"):
        return os.environ["GUNICORN_BIND"]
    if os.environ.get("PORT"):
        return f"0.0.0.0:{os.environ['PORT']}"
    return "127.0.0.1:8000"


bind = [_bind()]
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * _cores() + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 2)

# A request taking longer than this is a bug or an attack: the worker is restarted. The
# slowest page at a million documents is far below it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
# Seconds an idle keep-alive connection is held open: enough for a browser's page and its
# static files, or a load balancer reusing connections (set it above the balancer's idle
# timeout there).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)
# Each process is replaced after about a thousand requests (jittered, so they do not all
# restart at once): a slow leak never grows into an outage.
max_requests = 1000
max_requests_jitter = 100

# Logs to stdout and stderr, for the container or systemd to collect.
accesslog = "-"
errorlog = "-"
# The worker heartbeat in memory, not on a disk that may stall (containers' overlay disks).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
# No runtime control socket ($HOME/.gunicorn/gunicorn.ctl): two servers on one machine
# (a benchmark beside the site) would fight over it, and nothing here uses it.
control_socket_disable = True
