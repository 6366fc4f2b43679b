"""The app's log: one JSON object per line on stdout, what log collectors in the cluster parse."""

import json
import sys
import time


def write_log(level, message, **fields):
    entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "level": level, "message": message, **fields}
    sys.stdout.write(json.dumps(entry) + "\n")
    sys.stdout.flush()
