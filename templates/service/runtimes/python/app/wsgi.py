"""The HTTP app of <%= name %>: a WSGI application, served in production by gunicorn (gunicorn.conf.py)."""

import json
import os

from . import shutdown
from .databases import DATABASES
from .logs import write_log
from .readiness import check_readiness

SERVICE_NAME = <%= json(name) %>

_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error", 503: "Service Unavailable"}


def create_app(environ=None, databases=DATABASES, log=None, draining=None):
    """The WSGI application of this service.

    `environ` is where configuration is read from (os.environ in production; tests pass their own).
    `draining` is set once the server shuts down (app/shutdown.py): readiness fails from then on.
    """
    environ = os.environ if environ is None else environ
    log = log or write_log
    draining = shutdown.DRAINING if draining is None else draining
    service = environ.get("SERVICE_NAME") or SERVICE_NAME
    environment = environ.get("ENVIRONMENT") or "local"

    def healthz():
        # Liveness: the process is up and serving. No dependency checks: a database outage must not
        # get every pod restarted.
        return 200, {"status": "ok"}

    def readyz():
        # Readiness: every database answers, and the server is not shutting down.
        if draining.is_set():
            return 503, {"status": "shutting down"}
        ok, checks = check_readiness(databases, environ)
        if not ok:
            log("warn", "not ready", checks=checks)
            return 503, {"status": "unavailable", "checks": checks}
        return 200, {"status": "ok", "checks": checks}

    def hello():
        return 200, {"service": service, "environment": environment, "message": f"Hello from {service}"}

    routes = {"/healthz": healthz, "/readyz": readyz, "/": hello}

    def application(request, start_response):
        path = request.get("PATH_INFO") or "/"
        method = request.get("REQUEST_METHOD", "GET")
        route = routes.get(path)
        if route is None:
            status, body = 404, {"error": "not found"}
        elif method not in ("GET", "HEAD"):
            status, body = 405, {"error": "method not allowed"}
        else:
            try:
                status, body = route()
            except Exception as error:
                # Whatever went wrong stays in the log; the client gets no stack trace.
                log("error", "request failed", path=path, error=repr(error))
                status, body = 500, {"error": "internal error"}
        payload = (json.dumps(body) + "\n").encode()
        start_response(f"{status} {_REASONS[status]}", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [b"" if method == "HEAD" else payload]

    return application


application = create_app()
