"""gunicorn's settings: `gunicorn archive.wsgi`, run from the project's folder, reads this file.

Sized for the machine it runs on, with PostgreSQL beside it (the project's VM: 2 cores): cores
+ 1 sync workers, 3 on 2 cores. Measured with bench/load.sh (bench/README.md): with
PostgreSQL on the same cores, more processes only queue more work for the same two cores
(5 sync workers served 5-10 % fewer requests a second than 3), and threads (gthread) hand each
kept-alive connection to one process, so under load some clients waited over 10 s while
others were served; sync workers take connections in turn from the shared socket and every
client waited about as long as the next. Sync workers do not keep connections alive and
should sit behind a proxy or load balancer that does (and buffers slow clients): nginx, the
platform's balancer. Each process holds one PostgreSQL connection (CONN_MAX_AGE), so a host
uses `workers` connections (docs/scaling.md), and every process maps the same search index
directory (ARCHIVE_INDEX_DIR), shared by the operating system rather than copied.

Everything can be changed from the environment without editing this file:

- `GUNICORN_BIND` (e.g. `0.0.0.0:8000`, `unix:/run/archive.sock`), else `0.0.0.0:$PORT`
  when `PORT` is set (container platforms), else `127.0.0.1:8000` (behind a proxy);
- `GUNICORN_WORKERS`, `GUNICORN_THREADS` (more than 1 makes the workers gthread),
  `GUNICORN_TIMEOUT`, `GUNICORN_KEEPALIVE`;
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
workers = int(os.environ.get("GUNICORN_WORKERS") or _cores() + 1)
worker_class = "sync"
threads = int(os.environ.get("GUNICORN_THREADS") or 1)

# A request taking longer than this is a bug or an attack: the sync worker serving it is
# killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
# Seconds an idle keep-alive connection is held open, with GUNICORN_THREADS > 1 (sync
# workers close each connection after its response): set it above a balancer's idle timeout.
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
