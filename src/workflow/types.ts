/** What the validator asks of GitHub's Actions language (./language.ts), as plain data across its bundle. */
import type { Range } from '../validate/types.js';

export interface LanguageProblem {
  message: string;
  /** Where GitHub's parser puts it (1-based, end exclusive); absent for a problem of the whole file. */
  range?: Range;
}

/** A `${{ }}` expression as a tree: context paths lower-cased, `*` for `[*]` and for a computed index. */
export type ExpressionNode =
  | { kind: 'literal'; value: string }
  | { kind: 'path'; parts: string[] }
  | { kind: 'call'; name: string; args: ExpressionNode[] }
  | { kind: 'operator'; operator: string; args: ExpressionNode[] }
  | { kind: 'error'; message: string };

export interface WorkflowLanguage {
  checkWorkflow(name: string, text: string): LanguageProblem[];
  checkAction(name: string, text: string): LanguageProblem[];
  parseExpression(text: string): ExpressionNode;
}
