/** The golden overlays (test/fixtures/overlays/README.md): their names and expected findings. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

export const overlaysDir = join(repoRoot, 'test', 'fixtures', 'overlays');

export function overlayCases(): string[] {
  return readdirSync(overlaysDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** `file:line:column: message [policy]` lines; none for a case that must validate clean. */
export function expectedOf(name: string): string[] {
  return readFileSync(join(overlaysDir, name, 'expected.txt'), 'utf8').split('\n').filter(Boolean);
}
