import { RECORD_FILE, RECORD_KEY, type Rendering } from '../render/render.js';

/**
 * The new .yo-rc.json: the rendering's record under our key, and every other key as it was. Yeoman
 * generators share this file; another generator's settings in it are not ours to drop.
 */
export function nextRecordFile(rendering: Rendering, existing: string | undefined): string {
  const rendered = rendering.files.find((file) => file.path === RECORD_FILE)!.content;
  if (existing === undefined) return rendered;
  let others: Record<string, unknown>;
  try {
    others = JSON.parse(existing) as Record<string, unknown>;
  } catch {
    return rendered;
  }
  if (typeof others !== 'object' || others === null || Array.isArray(others)) return rendered;
  const ours = (JSON.parse(rendered) as Record<string, unknown>)[RECORD_KEY];
  // Our key stays where it was, the others around it, so the file's diff is only what changed.
  return `${JSON.stringify({ ...others, [RECORD_KEY]: ours }, null, 2)}\n`;
}
