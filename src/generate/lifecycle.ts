import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../render/render.js';
import type { TemplateSource } from '../render/source.js';
import { readRecord } from './record.js';
import { planRerender, readRepositoryManifest, type UpdatePlan } from './update.js';

export interface CheckReport {
  current: string;
  latest: string;
  /** Managed files whose content is not what their template version rendered. */
  drifted: string[];
  /** Managed files that are gone. */
  missing: string[];
}

/** `platform check`: is this repository on the latest template, and which managed files drifted. */
export function checkRepository(root: string, source: TemplateSource): CheckReport {
  const record = readRecord(root);
  const drifted: string[] = [];
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(record.files)) {
    if (entry.mode !== 'managed') continue;
    const file = join(root, path);
    if (!existsSync(file)) missing.push(path);
    else if (sha256(readFileSync(file, 'utf8')) !== entry.sha256) drifted.push(path);
  }
  return { current: record.template.version, latest: source.template.version, drifted, missing };
}

/**
 * `platform upgrade`: re-render the repository from its platform.yaml with the shipped template, each
 * file by its mode (managed replaced, merged three-way merged, seeded only created when missing).
 * Moving between template versions needs the old version's templates to merge against; this package
 * ships one version, so planRerender refuses a repository recorded on another one, with the reason.
 */
export function planUpgrade(root: string, source: TemplateSource): UpdatePlan {
  const { manifest, text } = readRepositoryManifest(root, source);
  return planRerender(root, manifest, text, source);
}
