/**
 * GitHub's own Actions language (the parser of its Actions language service): workflows and action.yml
 * files checked against the schemas GitHub itself uses, and `${{ }}` expressions parsed by its expression
 * parser. This module is the entry of its own bundle, dist/cli/workflows.cjs (scripts/bundle-cli.js),
 * which the validator loads only when a repository has workflows or actions (./load.ts): the parser and
 * its schemas cost more than the rest of a cold `platform validate` together.
 *
 * The packages' own schema loader reads the schema's JSON through their template reader, which checks
 * the schema against a schema of schemas: some 80 ms before the first workflow. The schema is GitHub's,
 * checked in its own tests, so it is built here straight from the JSON: a third of the time.
 */
import { Lexer, Parser, type Expr } from '@actions/expressions';
import { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical, Star, Unary } from '@actions/expressions/ast';
import { parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { TemplateSchema } from '@actions/workflow-parser/templates/schema/template-schema';
import { TemplateContext, TemplateValidationErrors } from '@actions/workflow-parser/templates/template-context';
import { BooleanToken, MappingToken, NullToken, NumberToken, SequenceToken, StringToken, type TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { NoOperationTraceWriter } from '@actions/workflow-parser/templates/trace-writer';
// Not in the package's exports map: the bundlers alias these two (scripts/bundle-cli.js, npm run bundle).
import workflowSchemaJson from '@actions/workflow-parser/workflow-v1.0.min.json' with { type: 'json' };
import actionSchemaJson from '@actions/workflow-parser/action-v1.0.min.json' with { type: 'json' };
import type { ExpressionNode, LanguageProblem, WorkflowLanguage } from './types.js';

function token(value: unknown): TemplateToken {
  if (value === null || value === undefined) return new NullToken(undefined, undefined, undefined);
  if (typeof value === 'string') return new StringToken(undefined, undefined, value, undefined);
  if (typeof value === 'number') return new NumberToken(undefined, undefined, value, undefined);
  if (typeof value === 'boolean') return new BooleanToken(undefined, undefined, value, undefined);
  if (Array.isArray(value)) {
    const sequence = new SequenceToken(undefined, undefined, undefined);
    for (const item of value) sequence.add(token(item));
    return sequence;
  }
  const mapping = new MappingToken(undefined, undefined, undefined);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) mapping.add(new StringToken(undefined, undefined, key, undefined), token(item));
  return mapping;
}

const schemas = new Map<string, TemplateSchema>();
function schemaOf(kind: 'workflow' | 'action'): TemplateSchema {
  let schema = schemas.get(kind);
  if (!schema) {
    schema = new TemplateSchema(token(kind === 'workflow' ? workflowSchemaJson : actionSchemaJson) as MappingToken);
    schemas.set(kind, schema);
  }
  return schema;
}

function check(kind: 'workflow' | 'action', name: string, text: string): LanguageProblem[] {
  // At most 100 problems a file; messages are cut short by the pipeline (problem()), not here.
  const context = new TemplateContext(new TemplateValidationErrors(100, 0), schemaOf(kind), new NoOperationTraceWriter());
  const file = { name, content: text };
  if (kind === 'workflow') parseWorkflow(file, context);
  else parseAction(file, context);
  return context.errors.getErrors().map((error) => ({
    message: error.rawMessage,
    range: error.range && { line: error.range.start.line, column: error.range.start.column, endLine: error.range.end.line, endColumn: error.range.end.column },
  }));
}

/** The expression as plain data: context paths (`github.event.issue.title`), calls, operators, literals. */
function plain(expr: Expr): ExpressionNode {
  if (expr instanceof Literal) return { kind: 'literal', value: expr.literal.coerceString() };
  if (expr instanceof Grouping) return plain(expr.group);
  if (expr instanceof FunctionCall) return { kind: 'call', name: expr.functionName.lexeme.toLowerCase(), args: expr.args.map(plain) };
  if (expr instanceof Unary) return { kind: 'operator', operator: expr.operator.lexeme, args: [plain(expr.expr)] };
  if (expr instanceof Binary) return { kind: 'operator', operator: expr.operator.lexeme, args: [plain(expr.left), plain(expr.right)] };
  if (expr instanceof Logical) return { kind: 'operator', operator: expr.operator.lexeme, args: expr.args.map(plain) };
  if (expr instanceof ContextAccess) return { kind: 'path', parts: [expr.name.lexeme.toLowerCase()] };
  if (expr instanceof IndexAccess) {
    const target = plain(expr.expr);
    const index = expr.index instanceof Star ? '*' : expr.index instanceof Literal ? expr.index.literal.coerceString().toLowerCase() : undefined;
    if (target.kind === 'path' && index !== undefined) return { kind: 'path', parts: [...target.parts, index] };
    // obj[expression]: the target's whole subtree, and whatever the index itself reads.
    return { kind: 'operator', operator: '[]', args: [target.kind === 'path' ? { kind: 'path', parts: [...target.parts, '*'] } : target, plain(expr.index)] };
  }
  return { kind: 'literal', value: '' };
}

// Every context a workflow or an action can read; which one is allowed where is the schema's to say.
const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'inputs', 'steps', 'job', 'jobs', 'runner', 'strategy', 'matrix', 'needs'];

export const language: WorkflowLanguage = {
  checkWorkflow: (name, text) => check('workflow', name, text),
  checkAction: (name, text) => check('action', name, text),
  parseExpression(text) {
    try {
      const lexed = new Lexer(text).lex();
      return plain(new Parser(lexed.tokens, CONTEXTS, []).parse());
    } catch (error) {
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  },
};
