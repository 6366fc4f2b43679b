/**
 * A database that leaves platform.yaml keeps running (Argo CD does not prune its Cluster): `platform add`
 * and `platform upgrade` say so in one line that names the database, its Cluster and what to do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { generateTemp } from './helpers/repo.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const warning = (database: string, cluster: string, namespace: string): string =>
  `platform: warning: database "${database}" is no longer in platform.yaml, but Argo CD keeps its Cluster ${cluster} and its data in every environment: declare it again, or once its data is not needed, delete it by hand (kubectl delete cluster ${cluster} -n ${namespace})\n`;

/** A repository with databases main and audit, from whose platform.yaml the team then drops `drop`. */
function repositoryWithout(drop: string): string {
  const repo = generateTemp({
    name: 'svc',
    environments: ['dev', 'prod'],
    databases: [{ name: 'main', engine: 'postgres', version: '16' }, { name: 'audit', engine: 'postgres', version: '16' }],
  });
  const manifest = read(repo, 'platform.yaml');
  const entry = new RegExp(`\\n    - name: ${drop}\\n(      .*\\n)+`);
  expect(manifest).toMatch(entry);
  writeFileSync(join(repo, 'platform.yaml'), manifest.replace(entry, '\n'));
  return repo;
}

describe('a database that left platform.yaml', () => {
  it('platform add says that its Cluster stays, and how to delete it', () => {
    const repo = repositoryWithout('audit');
    const run = platform(['add', 'secret', 'key:KEY:svc/key', '--dir', repo]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(warning('audit', 'svc-audit', 'svc'));
    // Its manifests leave the repository; the protection is on the Cluster that runs.
    expect(read(repo, 'deploy/overlays/prod/databases.yaml')).not.toContain('svc-audit');
    expect(read(repo, 'deploy/overlays/prod/databases.yaml')).toContain('argocd.argoproj.io/sync-options: Prune=false,Delete=false');
  });

  it('platform upgrade says it too, and says nothing when every database stays', () => {
    const repo = repositoryWithout('main');
    const run = platform(['upgrade', repo, '--allow-dirty']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(warning('main', 'svc-main', 'svc'));
    const again = platform(['upgrade', repo, '--allow-dirty']);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe('');
  });

  it('a renamed database is one that left', () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev'], databases: [{ name: 'main', engine: 'postgres', version: '16' }] });
    writeFileSync(join(repo, 'platform.yaml'), read(repo, 'platform.yaml').replace('- name: main', '- name: primary'));
    const run = platform(['upgrade', repo, '--allow-dirty', '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(warning('main', 'svc-main', 'svc'));
  });
});
