"""<%= name %>: the service's HTTP app (app/wsgi.py), served by gunicorn with gunicorn.conf.py."""
