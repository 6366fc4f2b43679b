import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './repo.js';
import { CHANGES_1_1_0, commitAll, editTemplates, generateFrom, git, templateRepo, type TemplateRepo } from './template-repo.js';

/**
 * The smallest real upgrade: a template source repository tagged v1.0.0 and v1.1.0 (tagged by hand, no
 * `platform publish`), pushed to its bare remote. 1.1.0 changes a managed file, drops one, adds a seeded
 * one, and changes a line of the merged Dockerfile, so an upgrade has writes, a remove and a real merge.
 */
export const CHANGES_TO_1_1_0: Record<string, string | null | ((text: string) => string)> = {
  ...CHANGES_1_1_0,
  'service/runtimes/node/Dockerfile': (text) => text.replace('CMD ["node", "src/main.js"]', 'CMD ["node", "--enable-source-maps", "src/main.js"]'),
  'service/template.yaml': (text) => text.replace(/^version: .*$/m, 'version: 1.1.0'),
};

/** Tag the work copy's HEAD as `v<version>` and push the tag (versions are tags: no branch needs to follow). */
export function tagVersion(source: TemplateRepo, version: string): void {
  git(source.work, 'tag', `v${version}`);
  git(source.work, 'push', '-q', 'origin', `v${version}`);
}

export function twoVersionSource(): TemplateRepo {
  const source = templateRepo();
  editTemplates(source.work, { 'service/template.yaml': (text) => text.replace(/^version: .*$/m, 'version: 1.0.0') }, 'Release 1.0.0');
  tagVersion(source, '1.0.0');
  editTemplates(source.work, CHANGES_TO_1_1_0, 'Release 1.1.0');
  tagVersion(source, '1.1.0');
  return source;
}

/** `platform new` at `version` into parent/name, then a git repository with it committed (a clean tree). */
export function generateAt(parent: string, url: string, version: string, name = 'svc'): string {
  return generateFrom(url, join(parent, name), version, ['--name', 'svc', '--owner', 'team-a', '--description', 'A service', '--runtime', 'node', '--environments', 'dev,prod']);
}

/** A team's edit at the top of the merged Dockerfile, committed: the upgrade merges it with 1.1.0's line. */
export function teamEdit(dir: string): void {
  const file = join(dir, 'Dockerfile');
  writeFileSync(file, `# ours: at the top\n${readFileSync(file, 'utf8')}`);
  commitAll(dir, 'Team edit');
}

/**
 * Where an upgrade starts: a repository generated at 1.0.0 of a new two-version source, with the team's
 * edit committed, below a new temporary folder named `prefix...`. The caller keeps its own source cache.
 */
export function upgradeBase(prefix: string): string {
  const base = generateAt(tempDir(prefix), twoVersionSource().url, '1.0.0');
  teamEdit(base);
  return base;
}
