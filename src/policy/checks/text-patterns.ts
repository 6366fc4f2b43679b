/**
 * Credentials in tracked text: each parameter pattern is searched in every file in scope
 * (a PEM header, a GitHub token, an AWS access key id...). The finding names what was found, never the
 * value itself, so the report does not repeat the secret.
 */
import type { BuiltinCheck } from './registry.js';
import { rangeAt } from './text.js';
import { linearRegExp } from '../linear-regexp.js';

interface TextPattern {
  name: string;
  regex: string;
}

export const textPatterns: BuiltinCheck = {
  name: 'text-patterns',
  scope: 'files',
  description: 'Searches every file in scope for the given regular expressions; a match is a finding that names the pattern.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['patterns'],
    properties: {
      patterns: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'regex'],
          properties: { name: { type: 'string', minLength: 1 }, regex: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
  regexParams: (params) => (params.patterns as TextPattern[]).map((pattern, index) => ({ path: ['patterns', index, 'regex'], pattern: pattern.regex })),
  run(context) {
    const patterns = (context.params.patterns as TextPattern[]).map((pattern) => ({ name: pattern.name, regex: linearRegExp(pattern.regex) }));
    for (const file of context.files()) {
      context.tick(file.path);
      // One linear-time scan of the whole text per pattern; files are already capped in size by the loader.
      for (const { name, regex } of patterns) {
        for (const match of regex.matches(file.text)) {
          context.report(file.path, rangeAt(file, match.index, match.length), `${name} in a tracked file: remove it and rotate it`);
          context.tick();
        }
      }
    }
  },
};
