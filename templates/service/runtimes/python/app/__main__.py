"""Run the server: `python -m app`. Listens on PORT (default <%= runtime.port %>); stops cleanly on SIGTERM."""

import os
import signal
import sys
import threading

from .server import create_server, write_log


def main():
    raw_port = os.environ.get("PORT", "<%= runtime.port %>")
    if not raw_port.isdigit() or int(raw_port) > 65535:
        write_log("error", f"PORT must be a port number, not {raw_port!r}")
        return 1
    server = create_server(("0.0.0.0", int(raw_port)))

    def stop(signum, _frame):
        write_log("info", "shutting down", signal=signal.Signals(signum).name)
        # shutdown() waits for serve_forever() to return, which runs in this very thread: ask from another.
        threading.Thread(target=server.shutdown, daemon=True).start()

    # As PID 1 in a container, python gets no default SIGTERM handling: without this, Kubernetes
    # kills the pod after the grace period.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    write_log("info", "listening", port=server.server_address[1])
    try:
        server.serve_forever()
    finally:
        # Waits for the requests in flight to finish.
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
