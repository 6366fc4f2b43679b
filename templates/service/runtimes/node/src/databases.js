/**
 * The databases of this service, from platform.yaml (spec.databases). Each one reaches the app as an
 * environment variable holding a postgres URI, set by the Deployment from the database's connection secret.
 * Managed by the platform: `platform add database` re-renders this list; an edit here is drift.
 */
export const DATABASES = [
<%_ for (const db of databases) { _%>
  { name: <%= json(db.name) %>, envVar: <%= json(db.envVar) %> },
<%_ } _%>
];
