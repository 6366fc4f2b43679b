/**
 * Kubernetes reads YAML 1.1, where an unquoted `yes`, `no`, `on`, `off`, `y` or `n` is a boolean; this
 * tool (and a person) reads YAML 1.2, where they are strings. A label `enabled: yes` thus means one
 * thing here and another in the cluster. The parsed value cannot tell `yes` from `"yes"`, so the check
 * looks at each candidate's source: a plain scalar is ambiguous, a quoted one is not.
 */
import type { NodePath, Range, RepositoryFile } from '../../validate/types.js';
import { isPlainObject } from '../select.js';
import type { BuiltinCheck } from './registry.js';
import { offsetOf } from './text.js';

const MAX_DEPTH = 64;

export const yamlAmbiguousScalar: BuiltinCheck = {
  name: 'yaml-ambiguous-scalar',
  scope: 'files',
  description: 'Finds plain (unquoted) keys and values whose text is one of the given words, which YAML 1.1 readers such as Kubernetes take as booleans.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { words: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } } },
  },
  defaults: { words: ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF'] },
  run(context) {
    const words = new Set(context.params.words as string[]);
    const isPlain = (file: RepositoryFile, range: Range | undefined, word: string): range is Range => {
      if (!range) return false;
      const start = offsetOf(file, range.line, range.column);
      return file.text.startsWith(word, start) && !/[\w-]/.test(file.text[start + word.length] ?? '');
    };
    for (const { file, doc } of context.documents()) {
      const visit = (value: unknown, path: NodePath, depth: number): void => {
        context.tick();
        if (depth > MAX_DEPTH) return;
        if (typeof value === 'string' && words.has(value)) {
          const range = doc.locate(path);
          if (path.length > 0 && isPlain(file, range, value)) {
            context.report(file.path, range, `unquoted ${value} is a boolean to Kubernetes (YAML 1.1): write "${value}" if you mean the string, or true/false`);
          }
        } else if (Array.isArray(value)) {
          value.forEach((item, index) => visit(item, [...path, index], depth + 1));
        } else if (isPlainObject(value)) {
          for (const [key, item] of Object.entries(value)) {
            if (words.has(key)) {
              const range = doc.locateKey?.([...path, key]);
              if (isPlain(file, range, key)) context.report(file.path, range, `unquoted key ${key} is a boolean to Kubernetes (YAML 1.1): quote it`);
            }
            visit(item, [...path, key], depth + 1);
          }
        }
      };
      visit(doc.value, [], 0);
    }
  },
};
