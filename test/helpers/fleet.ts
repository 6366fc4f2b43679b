import { join } from 'node:path';
import { answersToManifest, type Answers } from '../../src/manifest/answers.js';
import { checkedManifest, generateRepository } from '../../src/generate/new.js';
import { openSource, type SourceCache } from '../../src/source/index.js';
import { tempDir } from './repo.js';
import { commitAll, git } from './template-repo.js';

/**
 * Service repositories for the fleet tests: generated with the library at a version of a source (the
 * embedded templates by default, whose 1.0.0 and 1.1.0 are released), each a git working copy with
 * its generation committed on main, ready to be pushed to a fake GitHub.
 */
export async function generateService(name: string, version: string, options: { source?: string; cache?: SourceCache; parent?: string } = {}): Promise<string> {
  const opened = await openSource(options.source ?? 'embedded', { cache: options.cache });
  const source = await opened.load(version);
  const answers: Answers = {
    name,
    owner: 'team-a',
    description: `The ${name} service`,
    runtime: 'node',
    environments: ['dev', 'prod'],
    databases: [],
    secrets: [],
  };
  const dir = join(options.parent ?? tempDir('fleet-'), name);
  generateRepository(dir, checkedManifest(answersToManifest(answers, source.settings, source.template), source), source);
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'Generated');
  return dir;
}
