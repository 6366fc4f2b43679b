/**
 * Each reporter's whole output for one fixed result, compared with the golden files in
 * test/fixtures/report/; the SARIF output also validates against the published SARIF 2.1.0 schema.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { FORMATS, formatReport, type Format } from '../src/report/index.js';
import { escapeData, escapeProperty } from '../src/report/github.js';
import type { ValidationResult } from '../src/validate/types.js';
import { REPORT_RESULT } from './fixtures/report/result.js';
import { validateFiles } from '../src/validate/index.js';
import { repoRoot, tempDir } from './helpers/repo.js';
import { thirdParty } from './helpers/third-party.js';

const GOLDEN: Record<Format, string> = { text: 'expected.txt', json: 'expected.json', sarif: 'expected.sarif', github: 'expected.github.txt', junit: 'expected.xml', markdown: 'expected.md' };
const golden = (file: string): string => readFileSync(join(import.meta.dirname, 'fixtures', 'report', file), 'utf8');

describe('each format, in full', () => {
  for (const format of FORMATS) {
    it(format, () => {
      expect(formatReport(REPORT_RESULT, format, { toolVersion: '9.9.9' })).toBe(golden(GOLDEN[format]));
    });
  }

  it('text in colour, for a terminal', () => {
    expect(formatReport(REPORT_RESULT, 'text', { color: true })).toBe(golden('expected.color.txt'));
  });
});

describe('sarif', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    type FormatsPlugin = (ajv: Ajv) => Ajv;
    const addFormats = ((addFormatsPlugin as unknown as { default?: FormatsPlugin }).default ?? addFormatsPlugin) as FormatsPlugin;
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    const validate = ajv.compile(JSON.parse(readFileSync(thirdParty('schemas', 'sarif-2.1.0.json'), 'utf8')) as object);
    const log = JSON.parse(formatReport(REPORT_RESULT, 'sarif')) as unknown;
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // The schema is strict enough to catch a mistake of ours.
    (log as { runs: Array<{ results: Array<Record<string, unknown>> }> }).runs[0]!.results[0]!.level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('an empty run is still a valid log with every rule', () => {
    const clean: ValidationResult = { ...REPORT_RESULT, findings: [] };
    const log = JSON.parse(formatReport(clean, 'sarif')) as { runs: Array<{ results: unknown[]; tool: { driver: { rules: unknown[] } } }> };
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(REPORT_RESULT.policies.length);
  });
});

describe('sarif for another organization', () => {
  it('names that organization\'s platform repository as the tool, and links its policy docs', async () => {
    const settings = join(tempDir(), 'settings.yaml');
    const acme = readFileSync(join(repoRoot, 'templates', 'settings.yaml'), 'utf8');
    writeFileSync(settings, acme.replace('githubUrl: https://github.com', 'githubUrl: https://git.globex.example').replace(/acme\/generator-platform/g, 'globex/platform'));
    const result = await validateFiles({ 'deploy/base/config.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: { name: x }\ndata: { password: aHVudGVyMg== }\n' }, { settingsFile: settings });
    const driver = (JSON.parse(formatReport(result, 'sarif')) as { runs: Array<{ tool: { driver: { informationUri: string; rules: Array<{ id: string; helpUri: string }> } } }> }).runs[0]!.tool.driver;
    expect(driver.informationUri).toBe('https://git.globex.example/globex/platform');
    expect(driver.rules.find((rule) => rule.id === 'secrets-no-plaintext')!.helpUri).toBe('https://git.globex.example/globex/platform/blob/v1/docs/policies.md#secrets-no-plaintext');
  });
});

describe('github escaping', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('dir:a,b/%\n.yaml')).toBe('dir%3Aa%2Cb/%25%0A.yaml');
  });

  it('a file name with a comma or colon cannot start a new property', () => {
    const [finding] = REPORT_RESULT.findings;
    const result: ValidationResult = { ...REPORT_RESULT, findings: [{ ...finding!, file: 'deploy/a,line=1:x.yaml' }] };
    expect(formatReport(result, 'github')).toBe(
      '::error file=deploy/a%2Cline=1%3Ax.yaml,line=33,col=16,endLine=33,endColumn=30,title=image-tag-pinned::image "nginx:latest" uses the moving tag latest: pin 100%25 of images\n',
    );
  });
});

describe('text', () => {
  it('a clean run says so, with the files checked', () => {
    expect(formatReport({ ...REPORT_RESULT, findings: [] }, 'text')).toBe('\u2714 No problems in 12 files.\n');
  });

  it('no colour codes unless asked', () => {
    expect(formatReport(REPORT_RESULT, 'text')).not.toContain('\u001b[');
  });
});
