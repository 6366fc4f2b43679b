/**
 * Build step (run by scripts/compile-schemas.js after tsc): compile the central policies for the
 * embedded organization settings into one CommonJS module of standalone ajv validators and plain data,
 * which compiled.ts loads at start-up instead of parsing YAML and compiling schemas.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { policiesDir } from '../core/paths.js';
import { loadSettings, type Settings } from '../settings/settings.js';
import { COMPILED_POLICIES_FILE, policiesFingerprint, storeSegment, type StoredPolicy } from './compiled.js';
import { loadPolicies } from './load.js';
import { POLICY_AJV_OPTIONS, policyAjv } from './schema-rule.js';

type Standalone = (ajv: unknown, refs: Record<string, string>) => string;
const toCode = ((standaloneCode as unknown as { default?: Standalone }).default ?? standaloneCode) as Standalone;

export function compiledPoliciesSource(settings: Settings, dir = policiesDir): string {
  // Loading also checks every file: the build fails on a policy that would fail at run time.
  const policies = loadPolicies([dir], settings);
  const ajv = policyAjv({ ...POLICY_AJV_OPTIONS, code: { ...POLICY_AJV_OPTIONS.code, source: true } });
  const refs: Record<string, string> = {};
  const stored: StoredPolicy[] = policies.map(({ examples: _examples, written: _written, rules, ...metadata }) => ({
    ...metadata,
    rules: rules.map((rule, index) => {
      if (rule.type !== 'schema') return rule;
      const validator = `v${Object.keys(refs).length}`;
      const id = `policy:${metadata.id}/${index}`;
      ajv.addSchema({ ...(rule.validate.schema as object), $id: id });
      refs[validator] = id;
      const { validate: _validate, select, ...rest } = rule;
      return { ...rest, select: select.map((segments) => segments.map(storeSegment)), validator };
    }),
  }));
  const code = Object.keys(refs).length > 0 ? toCode(ajv, refs) : '"use strict";';
  return `${code}\nmodule.exports.fingerprint = ${JSON.stringify(policiesFingerprint(dir, settings))};\nmodule.exports.policies = ${JSON.stringify(stored)};\n`;
}

export function writeCompiledPolicies(): void {
  mkdirSync(dirname(COMPILED_POLICIES_FILE), { recursive: true });
  writeFileSync(COMPILED_POLICIES_FILE, compiledPoliciesSource(loadSettings()));
}
