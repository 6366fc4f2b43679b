"""<%= name %>: the service's HTTP app (see server.py); `python -m app` runs it."""
