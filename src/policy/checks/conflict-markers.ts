/**
 * Conflict markers an upgrade left (`platform upgrade` writes both sides where the team and the template
 * changed the same lines): each opening and closing line is a finding, in every file, so a half-done
 * upgrade never merges unnoticed. The marker is the one the merge writes (src/merge/three-way.ts).
 */
import { CONFLICT_MARKER } from '../../merge/three-way.js';
import type { BuiltinCheck } from './registry.js';
import { lineRange } from './text.js';

export const conflictMarkers: BuiltinCheck = {
  name: 'conflict-markers',
  scope: 'files',
  description: 'Finds the opening (`<<<<<<< `) and closing (`>>>>>>> `) lines of merge conflicts in every file in scope.',
  run(context) {
    for (const file of context.files()) {
      context.tick(file.path);
      // Most files hold no marker at all: one search before splitting into lines.
      if (!file.text.includes('<<<<<<< ') && !file.text.includes('>>>>>>> ')) continue;
      file.text.split('\n').forEach((row, index) => {
        if (!CONFLICT_MARKER.test(row)) return;
        const side = row.startsWith('<') ? 'start' : 'end';
        context.report(file.path, lineRange(file, index + 1), `the ${side} of a conflict left from an upgrade (${row.slice(8).trim() || 'no label'}): keep the right lines of each side and remove the markers`);
        context.tick();
      });
    }
  },
};
