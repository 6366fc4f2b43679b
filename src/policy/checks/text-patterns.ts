/**
 * Credentials in tracked text: each parameter pattern is searched line by line in every file in scope
 * (a PEM header, a GitHub token, an AWS access key id...). The finding names what was found, never the
 * value itself, so the report does not repeat the secret.
 */
import type { BuiltinCheck } from './registry.js';
import { rangeAt } from './text.js';

/** Lines longer than this are searched in their first part only: minified blobs are not credentials files. */
const MAX_LINE = 64 * 1024;

interface TextPattern {
  name: string;
  regex: string;
}

export const textPatterns: BuiltinCheck = {
  name: 'text-patterns',
  description: 'Searches every file in scope for the given regular expressions, line by line; a match is a finding that names the pattern.',
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
    const patterns = (context.params.patterns as TextPattern[]).map((pattern) => ({ name: pattern.name, regex: new RegExp(pattern.regex, 'gu') }));
    for (const file of context.files()) {
      context.tick(file.path);
      let offset = 0;
      for (const line of file.text.split('\n')) {
        const searched = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
        for (const { name, regex } of patterns) {
          regex.lastIndex = 0;
          for (let match = regex.exec(searched); match; match = regex.exec(searched)) {
            context.report(file.path, rangeAt(file, offset + match.index, match[0].length), `${name} in a tracked file: remove it and rotate it`);
            if (match[0].length === 0) regex.lastIndex += 1;
          }
        }
        offset += line.length + 1;
        context.tick();
      }
    }
  },
};
