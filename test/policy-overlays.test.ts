/**
 * Golden cases as overlays (test/fixtures/overlays/README.md): each case is the few files it adds to (or
 * replaces in, or with deleted.txt removes from) one clean repository, test/fixtures/ok/service-dev-prod,
 * and an expected.txt of every finding the validator must then report, as
 * `file:line:column: message [policy]` (actionlint's testdata shape).
 */
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policiesDir } from '../src/core/paths.js';
import { loadPolicies } from '../src/policy/load.js';
import { loadSettings } from '../src/settings/settings.js';
import { validateRepository } from '../src/validate/index.js';
import { deletedOf, expectedOf, overlaidRepository, overlayBase, overlayCases, overlayFiles, overlaysDir } from './helpers/overlays.js';

const now = new Date('2026-06-01T12:00:00Z');

describe('golden overlays on one clean repository', () => {
  it.each(overlayCases())('%s', async (name) => {
    const result = await validateRepository(overlaidRepository(name), { now });
    expect(result.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.policy}]`)).toEqual(expectedOf(name));
  });
});

describe('the overlays themselves', () => {
  const ids = loadPolicies([policiesDir], loadSettings()).map((policy) => policy.id);
  /** The policy a case is named after: the longest id that is its name or starts it (`<policy>-<what it shows>`). */
  const policyOf = (name: string): string | undefined =>
    ids.filter((id) => name === id || name.startsWith(`${id}-`)).sort((a, b) => b.length - a.length)[0];
  const policyOfLine = (line: string): string => /\[([a-z0-9-]+)\]$/.exec(line)![1]!;

  it('have a case for every policy, each case named after a policy naming it among its findings', () => {
    const covered = new Set(overlayCases().flatMap((name) => expectedOf(name).map(policyOfLine)));
    expect(ids.filter((id) => !covered.has(id))).toEqual([]);
    for (const name of overlayCases()) {
      const policy = policyOf(name);
      if (policy) expect(expectedOf(name).map(policyOfLine), name).toContain(policy);
    }
  });

  it('hold only what differs from the clean repository: no file identical to the one it replaces', () => {
    const same = overlayCases().flatMap((name) =>
      overlayFiles(name)
        .filter((path) => {
          const base = join(overlayBase, path);
          const own = join(overlaysDir, name, path);
          if (!existsSync(base) || lstatSync(base).isSymbolicLink() !== lstatSync(own).isSymbolicLink()) return false;
          if (lstatSync(own).isSymbolicLink()) return readlinkSync(own) === readlinkSync(base);
          return readFileSync(own).equals(readFileSync(base)) && lstatSync(own).mode === lstatSync(base).mode;
        })
        .map((path) => `${name}/${path}`),
    );
    expect(same).toEqual([]);
  });

  it('delete only what the clean repository has, and nothing they also add', () => {
    for (const name of overlayCases()) expect(() => deletedOf(name), name).not.toThrow();
  });
});
