"""Readiness: is every database this service needs answering?

Kubernetes stops routing traffic to a pod whose /readyz fails, so a check must be quick, bounded and
never raise: a failure is a result, with a one-line reason that is safe to show to a client.
"""

import re
import threading
import time

# Longest a whole readiness check may take; the probe's own timeout should be a little longer.
CHECK_TIMEOUT_SECONDS = 2.0


def check_readiness(databases, environ, timeout=CHECK_TIMEOUT_SECONDS):
    """Check every database at once; returns (ok, checks) with checks[name] = {"status": ..., "reason": ...}."""
    results = {}
    threads = []
    for database in databases:
        # Each check runs in a daemon thread so that a database that never answers cannot hold the
        # request (or the process's exit) beyond the deadline.
        thread = threading.Thread(target=_run_check, args=(database, environ, timeout, results), daemon=True)
        thread.start()
        threads.append((database, thread))
    deadline = time.monotonic() + timeout
    for database, thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            results.setdefault(database.name, _fail(f"no answer within {timeout:g} s"))
    checks = {database.name: results[database.name] for database in databases}
    return all(check["status"] == "ok" for check in checks.values()), checks


def _run_check(database, environ, timeout, results):
    try:
        results[database.name] = check_database(database, environ, timeout)
    except Exception as error:  # a check reports; it never takes the server down
        results[database.name] = _fail(one_line(error))


def check_database(database, environ, timeout=CHECK_TIMEOUT_SECONDS):
    url = environ.get(database.env_var)
    if not url:
        return _fail(f"{database.env_var} is not set")
    try:
        # Imported here, not at the top: the app and its tests run without the driver installed.
        import psycopg
    except ImportError:
        return _fail('the postgres driver "psycopg" is not installed (pip install -r requirements.txt)')
    # A fresh connection per check rather than a pool: it proves the database accepts new connections.
    # libpq's connect_timeout is whole seconds, at least 2.
    with psycopg.connect(url, connect_timeout=max(2, int(timeout)), autocommit=True) as connection:
        connection.execute("SELECT 1")
    return {"status": "ok"}


def _fail(reason):
    return {"status": "fail", "reason": reason}


def one_line(error):
    """The first line of an error's message, without credentials a URI in it might carry."""
    message = str(error) or type(error).__name__
    line = next((part for part in message.splitlines() if part.strip()), type(error).__name__)
    return re.sub(r"//[^/@\s]*@", "//***@", line)[:300]
