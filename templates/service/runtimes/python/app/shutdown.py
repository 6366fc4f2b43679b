"""Graceful shutdown: on SIGTERM the pod drains instead of dropping the requests it is serving.

Kubernetes runs the Deployment's preStop delay first, while the pod leaves the Service's endpoints, and
only then sends SIGTERM to gunicorn, which passes it to its workers. From there, in each worker:
  1. readiness answers 503 (app/wsgi.py), so whatever still routes here moves to another pod;
  2. the worker keeps accepting for SHUTDOWN_DELAY_SECONDS (default 0: the preStop delay already did the
     waiting; set it where nothing runs a preStop delay before the signal);
  3. it stops accepting and finishes the requests in flight; a request arriving on a kept-alive
     connection meanwhile is answered with "Connection: close", and idle connections are closed;
  4. gunicorn exits once every worker is done, and at SHUTDOWN_TIMEOUT_SECONDS after the signal
     (default 20, its graceful timeout) kills what is left: a hard deadline inside the pod's grace period.
"""

import signal
import threading

from .logs import write_log

DEFAULT_DELAY_SECONDS = 0.0
DEFAULT_TIMEOUT_SECONDS = 20.0

# Set in a worker once it shuts down; the app's readiness reads it.
DRAINING = threading.Event()


def shutdown_times(environ):
    """(delay, timeout) in seconds from the environment; a bad value raises ValueError with a one-line message."""
    delay = _seconds(environ, "SHUTDOWN_DELAY_SECONDS", DEFAULT_DELAY_SECONDS)
    timeout = _seconds(environ, "SHUTDOWN_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    if timeout <= delay:
        raise ValueError(f"SHUTDOWN_TIMEOUT_SECONDS ({timeout:g}) must be longer than SHUTDOWN_DELAY_SECONDS ({delay:g})")
    return delay, timeout


def _seconds(environ, name, default):
    raw = environ.get(name, "")
    if raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"{name} must be a number of seconds, not {raw!r}")
    return value


def drain_on_sigterm(worker, delay, log=write_log):
    """Take over a gunicorn worker's SIGTERM: mark it draining, then after `delay` stop it as gunicorn does."""
    stop = worker.handle_exit

    def on_sigterm(signum, frame):
        if DRAINING.is_set():
            return
        DRAINING.set()
        log("info", "shutting down", signal="SIGTERM", pid=worker.pid, delaySeconds=delay)
        if delay <= 0:
            stop(signum, frame)
            return
        timer = threading.Timer(delay, stop, args=(signum, frame))
        timer.daemon = True
        timer.start()

    signal.signal(signal.SIGTERM, on_sigterm)
