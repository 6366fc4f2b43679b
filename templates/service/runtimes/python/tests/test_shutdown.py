"""The production server as the image runs it (gunicorn with gunicorn.conf.py), stopped with SIGTERM."""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from app.shutdown import shutdown_times

ROOT = Path(__file__).resolve().parent.parent


def start(test, app="app.wsgi:application", **env):
    """Start gunicorn on a free port; returns (child, port) once it listens. Killed at the end of the test."""
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", app]
    environ = {**os.environ, "PORT": "0", "PYTHONDONTWRITEBYTECODE": "1", **env}
    child = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, text=True)
    test.addCleanup(lambda: child.poll() is None and (child.kill(), child.wait()))
    test.addCleanup(child.stdout.close)
    # Ready when it listens and every worker serves: a worker still booting when gunicorn sends it SIGTERM
    # may miss the signal and hold the shutdown to the graceful timeout.
    port, ready, workers = None, 0, int(environ.get("WEB_CONCURRENCY") or 2)
    for line in child.stdout:
        entry = json.loads(line)
        if entry["message"] == "listening":
            port = entry["port"]
        elif entry["message"] == "worker ready":
            ready += 1
        if port is not None and ready >= workers:
            break
    test.assertIsNotNone(port, "gunicorn logged the port it listens on")
    # Keep reading, so that the app's log never fills the pipe.
    threading.Thread(target=lambda: [None for _ in child.stdout], daemon=True).start()
    return child, port


def get(port, path, connection=None):
    """One GET, on `connection` when given (kept alive); returns (status, body, Connection header) or the error."""
    own = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        own.request("GET", path)
        response = own.getresponse()
        body = json.loads(response.read())
        return response.status, body, response.getheader("Connection")
    except (OSError, http.client.HTTPException) as error:
        own.close()
        return "error", repr(error), None
    finally:
        if connection is None:
            own.close()


class Shutdown(unittest.TestCase):
    def test_the_server_listens_on_port_and_stops_cleanly_on_sigterm(self):
        child, port = start(self)
        self.assertEqual(get(port, "/healthz")[:2], (200, {"status": "ok"}))
        child.send_signal(signal.SIGTERM)
        self.assertEqual(child.wait(timeout=20), 0)

    def test_under_load_sigterm_loses_no_request(self):
        child, port = start(self, SHUTDOWN_DELAY_SECONDS="1")
        stop_by = time.monotonic() + 10
        routed = threading.Event()
        routed.set()
        results = []

        def client():
            # A kept-alive connection, as a load balancer holds it, used while the pod is routed to.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                while routed.is_set() and time.monotonic() < stop_by:
                    results.append(get(port, "/", connection))
            finally:
                connection.close()

        def probe():
            # The readiness probe, and the endpoint update that follows its failure a little later.
            while time.monotonic() < stop_by:
                if get(port, "/readyz")[1] == {"status": "shutting down"}:
                    break
                time.sleep(0.02)
            time.sleep(0.2)
            routed.clear()

        with ThreadPoolExecutor(max_workers=9) as pool:
            running = [pool.submit(client) for _ in range(8)] + [pool.submit(probe)]
            time.sleep(0.3)
            before = len(results)
            child.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            for future in running:
                future.result()
        after = len(results) - before
        self.assertEqual(child.wait(timeout=20), 0)
        self.assertGreater(before, 0, "requests were served before the signal")
        self.assertEqual([result for result in results if result[0] != 200], [], "every request got its answer")
        self.assertGreater(after, 0, "requests were served after the signal")
        self.assertLess(time.monotonic() - signalled, 10)

    def test_requests_in_flight_at_the_signal_are_answered_then_it_exits_0(self):
        child, port = start(self, app="tests.slow_app:application", SLOW_SECONDS="0.5")
        with ThreadPoolExecutor(max_workers=4) as pool:
            in_flight = [pool.submit(get, port, "/") for _ in range(4)]
            time.sleep(0.2)
            child.send_signal(signal.SIGTERM)
            answered = [future.result()[:2] for future in in_flight]
        self.assertEqual([status for status, _ in answered], [200] * 4, answered)
        self.assertEqual(child.wait(timeout=20), 0)
        self.assertEqual(get(port, "/healthz")[0], "error", "nothing listens any more")

    def test_a_request_still_running_at_the_deadline_is_cut(self):
        child, port = start(self, app="tests.slow_app:application", SLOW_SECONDS="30", SHUTDOWN_TIMEOUT_SECONDS="1")
        with ThreadPoolExecutor(max_workers=1) as pool:
            stuck = pool.submit(get, port, "/")
            time.sleep(0.2)
            signalled = time.monotonic()
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=20)
            self.assertLess(time.monotonic() - signalled, 5, "gunicorn stopped at its deadline")
            self.assertEqual(stuck.result()[0], "error")


class ShutdownTimes(unittest.TestCase):
    def test_the_delay_and_the_deadline_come_from_the_environment_checked(self):
        self.assertEqual(shutdown_times({}), (0.0, 20.0))
        self.assertEqual(shutdown_times({"SHUTDOWN_DELAY_SECONDS": "5", "SHUTDOWN_TIMEOUT_SECONDS": "25"}), (5.0, 25.0))
        with self.assertRaisesRegex(ValueError, r"^SHUTDOWN_DELAY_SECONDS must be a number of seconds, not 'soon'$"):
            shutdown_times({"SHUTDOWN_DELAY_SECONDS": "soon"})
        with self.assertRaisesRegex(ValueError, r"^SHUTDOWN_TIMEOUT_SECONDS \(20\) must be longer than SHUTDOWN_DELAY_SECONDS \(30\)$"):
            shutdown_times({"SHUTDOWN_DELAY_SECONDS": "30"})


if __name__ == "__main__":
    unittest.main()
