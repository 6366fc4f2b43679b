/** Every PostgreSQL version the settings allow runs a pinned image: a version without one stops the load, naming the file. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatesDir } from '../src/core/paths.js';
import { UserError } from '../src/core/errors.js';
import { loadTemplateSource } from '../src/render/source.js';
import { tempDir } from './helpers/repo.js';

describe('pinned PostgreSQL images', () => {
  it('a version the settings allow without an image in versions/postgres.yaml is refused, naming the file', () => {
    const dir = join(tempDir('platform-pg-images-'), 'templates');
    cpSync(templatesDir, dir, { recursive: true });
    const settings = join(dir, 'settings.yaml');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('versions: ["15", "16", "17"]', 'versions: ["15", "16", "17", "18"]'));
    let error: unknown;
    try {
      loadTemplateSource(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect(String((error as Error).message)).toContain('PostgreSQL 18 is allowed by the settings (databases.postgres.versions) but has no pinned image under images');
    expect((error as UserError).file).toBe(join(dir, 'service', 'versions', 'postgres.yaml'));
  });

  it('each allowed version has a full tag and digest', () => {
    const source = loadTemplateSource();
    const images = (source.versions.postgres as { images: Record<string, string> }).images;
    for (const major of source.settings.databases.postgres.versions) expect(images[major]).toMatch(new RegExp(`^${major}\\.[0-9]+-[0-9]{12}-[a-z]+-[a-z]+@sha256:[0-9a-f]{64}$`));
  });
});
