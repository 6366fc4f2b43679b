"""The app's probes and routes, served in this process on a free port."""

import json
import socket
import threading
import time
import unittest
from unittest import mock
from urllib.error import HTTPError
from urllib.request import urlopen

from app.databases import DATABASES, Database
from app.readiness import check_readiness
from app.server import SERVICE_NAME, create_server

MAIN = Database(name="main", env_var="MAIN_DATABASE_URL")


def start(test, environ, databases=DATABASES):
    """Serve the app in a thread on a free port until the test ends; returns its base URL."""
    server = create_server(("127.0.0.1", 0), environ=environ, databases=databases, log=lambda *a, **k: None)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    test.addCleanup(stop)
    return f"http://127.0.0.1:{server.server_address[1]}"


def get(base, path):
    try:
        with urlopen(base + path, timeout=10) as response:
            return response.status, json.load(response)
    except HTTPError as error:
        with error:
            return error.code, json.load(error)


def closed_port():
    """A local port nothing listens on: a database that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProbesAndRoutes(unittest.TestCase):
    def setUp(self):
        self.base = start(self, {"ENVIRONMENT": "test"}, databases=())

    def test_healthz_says_the_process_is_up(self):
        self.assertEqual(get(self.base, "/healthz"), (200, {"status": "ok"}))

    def test_readyz_is_ready_with_no_database_to_wait_for(self):
        self.assertEqual(get(self.base, "/readyz"), (200, {"status": "ok", "checks": {}}))

    def test_root_says_hello_with_the_service_name(self):
        status, body = get(self.base, "/")
        self.assertEqual(status, 200)
        self.assertEqual(body["service"], SERVICE_NAME)
        self.assertEqual(body["environment"], "test")

    def test_an_unknown_path_is_a_json_404(self):
        self.assertEqual(get(self.base, "/nope"), (404, {"error": "not found"}))


class DatabaseReadiness(unittest.TestCase):
    def test_a_database_whose_variable_is_not_set_makes_the_app_unready(self):
        base = start(self, {}, databases=(MAIN,))
        status, body = get(base, "/readyz")
        self.assertEqual(status, 503)
        self.assertEqual(body["status"], "unavailable")
        self.assertEqual(body["checks"]["main"], {"status": "fail", "reason": "MAIN_DATABASE_URL is not set"})

    def test_a_database_that_is_down_is_a_clean_503_and_the_app_keeps_serving(self):
        # Without the driver installed the reason says so; with it, the connection is refused.
        url = f"postgresql://app:s3cret@127.0.0.1:{closed_port()}/app"
        base = start(self, {"MAIN_DATABASE_URL": url}, databases=(MAIN,))
        status, body = get(base, "/readyz")
        self.assertEqual(status, 503)
        self.assertEqual(body["checks"]["main"]["status"], "fail")
        self.assertRegex(body["checks"]["main"]["reason"], r"^[^\n]+$")
        self.assertNotIn("s3cret", json.dumps(body))
        self.assertEqual(get(base, "/healthz")[0], 200)

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
        base = start(self, {})
        status, body = get(base, "/readyz")
        self.assertEqual(status, 200 if not DATABASES else 503)
        self.assertEqual(sorted(body["checks"]), sorted(database.name for database in DATABASES))


if __name__ == "__main__":
    unittest.main()
