/** Run a built-in check by name (the loader has already made sure it exists). */
import { BUILTIN_CHECKS } from './checks/index.js';
import type { CheckContext } from './context.js';

export function runCheck(name: string, context: CheckContext): void {
  const check = BUILTIN_CHECKS.get(name);
  if (!check) throw new Error(`no built-in check "${name}"`);
  check.run(context);
}
