"""The app with every request made SLOW_SECONDS slower: a slow handler, for the shutdown tests."""

import os
import time

from app.wsgi import application as _application


def application(environ, start_response):
    time.sleep(float(os.environ.get("SLOW_SECONDS", "0.5")))
    return _application(environ, start_response)
