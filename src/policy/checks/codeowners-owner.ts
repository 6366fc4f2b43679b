/**
 * CODEOWNERS must name the team that platform.yaml says owns the service, on its catch-all rule, so
 * reviews reach the owners. GitHub reads the first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS,
 * and within it the last rule that matches a path.
 */
import { manifestDoc } from './manifest-doc.js';
import type { BuiltinCheck } from './registry.js';
import { lineRange, offsetOf, rangeAt } from './text.js';

const LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

export const codeownersOwner: BuiltinCheck = {
  name: 'codeowners-owner',
  scope: 'fixed',
  description: "Checks that the repository's CODEOWNERS catch-all rule (`*`) names the owner team of platform.yaml as @<organization>/<owner>.",
  run(context) {
    const manifest = manifestDoc(context.model);
    if (!manifest?.owner) return;
    const team = `@${context.settings.organization.github}/${manifest.owner}`;
    const file = LOCATIONS.map((path) => context.model.file(path)).find((found) => found !== undefined);
    if (!file) {
      context.reportAt(manifest.file.path, manifest.doc, ['metadata', 'owner'], `no CODEOWNERS file: add .github/CODEOWNERS with "* ${team}"`);
      return;
    }
    context.tick(file.path);
    const lines = file.text.split('\n');
    let catchAll: number | undefined;
    lines.forEach((line, index) => {
      const [pattern] = line.replace(/#.*$/, '').trim().split(/\s+/);
      if (pattern === '*' || pattern === '/*' || pattern === '**' || pattern === '/**') catchAll = index;
    });
    if (catchAll === undefined) {
      context.report(file.path, lineRange(file, 1), `no catch-all rule: add "* ${team}"`);
      return;
    }
    const line = lines[catchAll]!.replace(/#.*$/, '').replace(/\r$/, '');
    const owners = line.trim().split(/\s+/).slice(1);
    if (owners.some((owner) => owner.toLowerCase() === team.toLowerCase())) return;
    // Point at the owners the rule names instead (or at the pattern, when it names none).
    const parts = /^(\s*\S+\s*)(.*?)\s*$/.exec(line)!;
    const ownersText = parts[2]!;
    const start = offsetOf(file, catchAll + 1, 1) + (ownersText ? parts[1]!.length : line.search(/\S/));
    const range = rangeAt(file, start, ownersText ? ownersText.length : parts[1]!.trim().length);
    context.report(file.path, range, `the catch-all rule does not name the owner team ${team} (platform.yaml metadata.owner)`);
  },
};
