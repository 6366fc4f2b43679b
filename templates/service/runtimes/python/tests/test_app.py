"""The app's probes and routes, called as gunicorn calls them (checked by the standard library's WSGI validator)."""

import json
import threading
import time
import unittest
from unittest import mock
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

from app.databases import DATABASES, Database
from app.readiness import check_readiness
from app.wsgi import SERVICE_NAME, create_app

MAIN = Database(name="main", env_var="MAIN_DATABASE_URL")


def call(app, path, method="GET"):
    """One request to a WSGI app; returns (status, parsed JSON body or None)."""
    request = {"SCRIPT_NAME": "", "QUERY_STRING": "", "PATH_INFO": path, "REQUEST_METHOD": method}
    setup_testing_defaults(request)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split(" ", 1)[0])
        return lambda data: None

    result = validator(app)(request, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return answer["status"], json.loads(body) if body else None


def quiet_app(environ, databases=DATABASES, draining=None):
    return create_app(environ=environ, databases=databases, log=lambda *a, **k: None, draining=draining or threading.Event())


def closed_port():
    """A local port nothing listens on: a database that is down."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProbesAndRoutes(unittest.TestCase):
    def setUp(self):
        self.app = quiet_app({"ENVIRONMENT": "test"}, databases=())

    def test_healthz_says_the_process_is_up(self):
        self.assertEqual(call(self.app, "/healthz"), (200, {"status": "ok"}))

    def test_readyz_is_ready_with_no_database_to_wait_for(self):
        self.assertEqual(call(self.app, "/readyz"), (200, {"status": "ok", "checks": {}}))

    def test_root_says_hello_with_the_service_name(self):
        status, body = call(self.app, "/")
        self.assertEqual(status, 200)
        self.assertEqual(body["service"], SERVICE_NAME)
        self.assertEqual(body["environment"], "test")

    def test_an_unknown_path_is_a_json_404(self):
        self.assertEqual(call(self.app, "/nope"), (404, {"error": "not found"}))

    def test_a_post_is_refused_and_a_head_has_no_body(self):
        self.assertEqual(call(self.app, "/", method="POST"), (405, {"error": "method not allowed"}))
        self.assertEqual(call(self.app, "/healthz", method="HEAD"), (200, None))

    def test_readiness_fails_once_the_server_shuts_down_and_liveness_does_not(self):
        draining = threading.Event()
        app = quiet_app({}, databases=(), draining=draining)
        draining.set()
        self.assertEqual(call(app, "/readyz"), (503, {"status": "shutting down"}))
        self.assertEqual(call(app, "/healthz"), (200, {"status": "ok"}))


class DatabaseReadiness(unittest.TestCase):
    def test_a_database_whose_variable_is_not_set_makes_the_app_unready(self):
        status, body = call(quiet_app({}, databases=(MAIN,)), "/readyz")
        self.assertEqual(status, 503)
        self.assertEqual(body["status"], "unavailable")
        self.assertEqual(body["checks"]["main"], {"status": "fail", "reason": "MAIN_DATABASE_URL is not set"})

    def test_a_database_that_is_down_is_a_clean_503_and_the_app_keeps_serving(self):
        # Without the driver installed the reason says so; with it, the connection is refused.
        url = f"postgresql://app:s3cret@127.0.0.1:{closed_port()}/app"
        app = quiet_app({"MAIN_DATABASE_URL": url}, databases=(MAIN,))
        status, body = call(app, "/readyz")
        self.assertEqual(status, 503)
        self.assertEqual(body["checks"]["main"]["status"], "fail")
        self.assertRegex(body["checks"]["main"]["reason"], r"^[^\n]+$")
        self.assertNotIn("s3cret", json.dumps(body))
        self.assertEqual(call(app, "/healthz")[0], 200)

    def test_a_database_that_never_answers_fails_within_the_time_limit(self):
        with mock.patch("app.readiness.check_database", side_effect=lambda *args: time.sleep(5)):
            started = time.monotonic()
            ok, checks = check_readiness((MAIN,), {}, timeout=0.2)
        self.assertLess(time.monotonic() - started, 4)
        self.assertEqual((ok, checks), (False, {"main": {"status": "fail", "reason": "no answer within 0.2 s"}}))

    def test_a_check_that_raises_is_reported_in_one_line_without_credentials(self):
        error = RuntimeError("could not connect to postgresql://app:s3cret@db:5432/app\nDETAIL: more")
        with mock.patch("app.readiness.check_database", side_effect=error):
            ok, checks = check_readiness((MAIN,), {})
        self.assertEqual(checks["main"], {"status": "fail", "reason": "could not connect to postgresql://***@db:5432/app"})

    def test_every_database_of_platform_yaml_is_checked(self):
        status, body = call(quiet_app({}), "/readyz")
        self.assertEqual(status, 200 if not DATABASES else 503)
        self.assertEqual(sorted(body["checks"]), sorted(database.name for database in DATABASES))


if __name__ == "__main__":
    unittest.main()
