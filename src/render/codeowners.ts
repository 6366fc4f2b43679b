/**
 * CODEOWNERS from template.yaml's ownership modes: the platform team owns what the platform manages, the
 * service's team everything else. Modes are decided by the first pattern that matches; GitHub takes the last
 * CODEOWNERS rule that matches, so the rules come out in reverse order.
 */
import type { Mode } from './source.js';

export interface CodeownersRule {
  /** The CODEOWNERS pattern, anchored at the repository root (`*` for everything). */
  pattern: string;
  /** Whether the platform team owns the paths (managed), rather than the service's team. */
  platform: boolean;
}

/**
 * A mode's glob as CODEOWNERS writes it, or undefined when CODEOWNERS cannot say it: it has `*`, `**` and
 * `?` like gitignore, but no braces, brackets, negation or escapes.
 */
export function codeownersPattern(glob: string): string | undefined {
  if (/[{}[\]!()\\\s#]/.test(glob)) return undefined;
  return glob === '**' ? '*' : `/${glob.replace(/^\/+/, '')}`;
}

export function codeownersRules(modes: ReadonlyArray<{ pattern: string; mode: Mode }>): CodeownersRule[] {
  return [...modes].reverse().map((rule) => {
    const pattern = codeownersPattern(rule.pattern);
    if (pattern === undefined) throw new Error(`mode pattern "${rule.pattern}" cannot be written in CODEOWNERS`);
    return { pattern, platform: rule.mode === 'managed' };
  });
}
