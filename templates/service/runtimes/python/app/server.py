"""The HTTP server of <%= name %>: standard library only, one thread per request."""

import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .databases import DATABASES
from .readiness import check_readiness

SERVICE_NAME = <%= json(name) %>


def create_server(address, environ=None, databases=DATABASES, log=None):
    """The server of this service bound to `address` (host, port), not yet serving.

    `environ` is where configuration is read from (os.environ in production; tests pass their own).
    """
    environ = os.environ if environ is None else environ
    log = log or write_log
    service = environ.get("SERVICE_NAME") or SERVICE_NAME
    environment = environ.get("ENVIRONMENT") or "local"

    def healthz():
        # Liveness: the process is up and serving. No dependency checks: a database outage must not
        # get every pod restarted.
        return 200, {"status": "ok"}

    def readyz():
        ok, checks = check_readiness(databases, environ)
        if not ok:
            log("warn", "not ready", checks=checks)
            return 503, {"status": "unavailable", "checks": checks}
        return 200, {"status": "ok", "checks": checks}

    def hello():
        return 200, {"service": service, "environment": environment, "message": f"Hello from {service}"}

    routes = {"/healthz": healthz, "/readyz": readyz, "/": hello}

    class Handler(BaseHTTPRequestHandler):
        # Say nothing about the language or its version in the Server header.
        server_version = service
        sys_version = ""

        def do_GET(self):
            self._answer(send_body=True)

        def do_HEAD(self):
            self._answer(send_body=False)

        def _answer(self, send_body):
            route = routes.get(urlsplit(self.path).path)
            if route is None:
                status, body = 404, {"error": "not found"}
            else:
                try:
                    status, body = route()
                except Exception as error:
                    # Whatever went wrong stays in the log; the client gets no stack trace.
                    log("error", "request failed", path=self.path, error=repr(error))
                    status, body = 500, {"error": "internal error"}
            payload = (json.dumps(body) + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if send_body:
                self.wfile.write(payload)

        def log_message(self, format, *args):
            # Probes arrive every few seconds: logging each one would drown everything else.
            pass

    return ThreadingHTTPServer(address, Handler)


def write_log(level, message, **fields):
    """One JSON object per line on stdout: what log collectors in the cluster parse."""
    entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "level": level, "message": message, **fields}
    sys.stdout.write(json.dumps(entry) + "\n")
    sys.stdout.flush()
