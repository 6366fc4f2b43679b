"""How gunicorn, the production server, runs <%= name %> (the app is app/wsgi.py).

The image runs `gunicorn --config gunicorn.conf.py app.wsgi:application`. Settings come from the
environment, so the Deployment can tune them without a rebuild: PORT, WEB_CONCURRENCY (worker processes),
THREADS (per worker), SHUTDOWN_DELAY_SECONDS and SHUTDOWN_TIMEOUT_SECONDS (see app/shutdown.py).
"""

import math
import os
import signal
import sys

from app.logs import write_log
from app.shutdown import drain_on_sigterm, shutdown_times


def _fail(message):
    write_log("error", message)
    sys.exit(1)


_port = os.environ.get("PORT", "<%= runtime.port %>")
if not _port.isdigit() or int(_port) > 65535:
    _fail(f"PORT must be a port number, not {_port!r}")
try:
    _delay, _timeout = shutdown_times(os.environ)
except ValueError as error:
    _fail(str(error))

bind = [f"0.0.0.0:{_port}"]
# Threads, so that a slow readiness check does not hold up other requests; kept-alive connections.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
threads = int(os.environ.get("THREADS") or 4)
keepalive = 5
# The hard deadline of a shutdown, counted from SIGTERM (gunicorn takes whole seconds).
graceful_timeout = math.ceil(_timeout)
# The root filesystem is read-only and nothing manages gunicorn from outside the pod.
control_socket_disable = True
worker_tmp_dir = "/tmp"
# The app logs JSON lines itself; gunicorn's own messages go to stderr, access logs nowhere (probes
# arrive every few seconds and would drown everything else).
accesslog = None
errorlog = "-"
loglevel = "warning"


def when_ready(server):
    write_log("info", "listening", port=server.LISTENERS[0].getsockname()[1])


def post_fork(server, worker):
    # A forked worker inherits the master's SIGTERM handler, which only queues the signal for the master:
    # a worker still booting would ignore a shutdown until the graceful timeout. Until it serves, it may die.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def post_worker_init(worker):
    drain_on_sigterm(worker, _delay)
    write_log("info", "worker ready", pid=worker.pid)
