"""The databases of this service, from platform.yaml (spec.databases).

Each one reaches the app as an environment variable holding a postgres URI, set by the Deployment
from the database's connection secret. Managed by the platform: `platform add database` re-renders
this list; an edit here is drift.
"""

from typing import NamedTuple


class Database(NamedTuple):
    name: str
    env_var: str


DATABASES = (
<%_ for (const db of databases) { _%>
    Database(name=<%= json(db.name) %>, env_var=<%= json(db.envVar) %>),
<%_ } _%>
)
