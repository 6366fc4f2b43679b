"""The real entry point: listens on PORT and stops cleanly on SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import unittest
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent


class Shutdown(unittest.TestCase):
    def test_the_server_listens_on_port_and_stops_cleanly_on_sigterm(self):
        env = {**os.environ, "PORT": "0", "PYTHONDONTWRITEBYTECODE": "1"}
        with subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as child:
            try:
                port = None
                for line in child.stdout:
                    entry = json.loads(line)
                    if entry["message"] == "listening":
                        port = entry["port"]
                        break
                self.assertIsNotNone(port, "the server logged the port it listens on")
                with urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                    self.assertEqual(response.status, 200)
                child.send_signal(signal.SIGTERM)
                self.assertEqual(child.wait(timeout=20), 0)
            finally:
                if child.poll() is None:
                    child.kill()


if __name__ == "__main__":
    unittest.main()
