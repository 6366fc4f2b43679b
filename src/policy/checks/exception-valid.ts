/**
 * Waivers in platform.yaml must stay honest: each names a policy that exists, says why and who approved
 * it, and has not expired. An expired waiver no longer waives (the waiver stage ignores it); this check
 * says so where the waiver is written, so the team renews or removes it.
 */
import type { BuiltinCheck } from './registry.js';
import { listAt, manifestDoc } from './manifest-doc.js';
import { isCalendarDate, isoDay } from '../../core/dates.js';
import { nearestName } from '../../core/nearest.js';
import { approverAllowed } from '../../validate/waivers.js';


function dayOf(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return isoDay(value);
  if (typeof value === 'string' && isCalendarDate(value)) return value;
  return undefined;
}

export const exceptionValid: BuiltinCheck = {
  name: 'exception-valid',
  scope: 'fixed',
  description: "Checks each entry of spec.exceptions in platform.yaml: a known policy, a reason, an approver the organization's settings list (when they list any), and an expiry date not in the past.",
  run(context) {
    const manifest = manifestDoc(context.model);
    if (!manifest) return;
    const today = isoDay(context.now);
    const at = (index: number, ...rest: string[]) => ['spec', 'exceptions', index, ...rest];
    listAt(manifest.value, 'exceptions').forEach((exception, index) => {
      context.tick(manifest.file.path);
      const report = (path: Array<string | number>, message: string) => context.reportAt(manifest.file.path, manifest.doc, path, message);
      const policy = exception.policy;
      if (typeof policy !== 'string' || policy.trim() === '') report(at(index), 'waiver names no policy');
      else if (!context.knownPolicies.includes(policy)) {
        const near = nearestName(policy, context.knownPolicies);
        report(at(index, 'policy'), `waiver for unknown policy "${policy}"${near ? `: did you mean "${near}"?` : ''}`);
      }
      for (const field of ['reason', 'approvedBy'] as const) {
        const value = exception[field];
        if (value === undefined) report(at(index), `waiver has no ${field}`);
        else if (typeof value !== 'string' || value.trim() === '') report(at(index, field), `waiver has an empty ${field}`);
      }
      const approvedBy = exception.approvedBy;
      if (typeof approvedBy === 'string' && approvedBy.trim() !== '' && !approverAllowed(context.settings, approvedBy)) {
        const approvers = context.settings.exceptions?.approvers ?? [];
        report(at(index, 'approvedBy'), `waiver approved by "${approvedBy}", who is not an approver of the organization (${approvers.join(', ')}): it waives nothing`);
      }
      if (exception.expires === undefined) {
        report(at(index), 'waiver has no expiry date');
        return;
      }
      const expires = dayOf(exception.expires);
      if (!expires) report(at(index, 'expires'), 'waiver expiry is not a date (YYYY-MM-DD)');
      else if (expires < today) report(at(index, 'expires'), `waiver expired on ${expires}: it no longer waives ${String(policy)}; renew it with a new approval, or remove it once nothing needs it`);
    });
  },
};
