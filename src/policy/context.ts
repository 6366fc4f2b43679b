/**
 * What a rule sees while it runs: the repository, the organization's values, its own parameters, and
 * one way to report a finding at a node. The context also keeps the policy's time budget: work is
 * counted in small units (a file, a document, a node) and the policy stops once its budget is spent.
 */
import type { NodePath, Range, RepositoryFile, RepositoryModel, YamlDocument } from '../validate/types.js';
import type { Settings } from '../settings/settings.js';
import { kustomizeView, type KustomizeView } from './kustomize.js';
import type { OrganizationValues } from './organization.js';
import { builtInScope, documentInScope, fileInScope, judgesBuiltResources, type ScopedDocument } from './scope.js';
import type { Scope } from './types.js';

export class BudgetExceeded extends Error {}

/**
 * Milliseconds on a monotonic clock, for the policies' budgets. process.hrtime rather than
 * performance.now(): the `performance` global loads perf_hooks on first use, a few milliseconds of a cold
 * `platform validate`.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface RawFinding extends Range {
  file: string;
  message: string;
}

export interface CheckContext {
  model: RepositoryModel;
  settings: Settings;
  org: OrganizationValues;
  params: Record<string, unknown>;
  now: Date;
  /** Every policy id the run knows (central, organization and pipeline checks). */
  knownPolicies: readonly string[];
  kustomize: KustomizeView;
  /** Files in the rule's scope. */
  files(): RepositoryFile[];
  /**
   * Documents in the rule's scope (resources and environments applied), one at a time: each step is
   * a unit of work, and `current` names the file of the document handed out.
   */
  documents(): Iterable<ScopedDocument>;
  report(file: string, range: Range, message: string): void;
  /** Report at a node of a document; `key` points at the entry's key instead of its value. */
  reportAt(file: string, doc: YamlDocument, path: NodePath, message: string, options?: { key?: boolean }): void;
  /**
   * Count a unit of work, before doing it; throws BudgetExceeded once the policy's time is spent. The
   * clock is read before `current` moves to `file`, so the finding names the file whose work spent it.
   */
  tick(file?: string): void;
  /** The file being looked at, for a finding when the rule fails. */
  current: string | undefined;
}

export function createContext(input: {
  model: RepositoryModel;
  org: OrganizationValues;
  params: Record<string, unknown>;
  scope: Scope;
  now: Date;
  knownPolicies: readonly string[];
  deadline: number;
  sink: RawFinding[];
}): CheckContext {
  const { model, org, scope, sink, deadline } = input;
  const view = kustomizeView(model);
  const context: CheckContext = {
    model,
    settings: model.settings,
    org,
    params: input.params,
    now: input.now,
    knownPolicies: input.knownPolicies,
    kustomize: view,
    current: undefined,
    files: () => model.files.filter((file) => fileInScope(scope, file)),
    documents: function* documents() {
      // Resources are judged as each overlay deploys them; a file no overlay deploys, as written.
      const built = judgesBuiltResources(scope);
      const wanted = scope.environments === 'production' ? org.productionEnvironments : scope.environments ?? [];
      for (const file of context.files()) {
        context.tick(file.path);
        if (built && file.kind === 'kubernetes' && view.deployedBy(file.path).length > 0) continue;
        // A file an overlay folder holds but its build does not read (a folder without a kustomization) is deployed as written.
        if (built && scope.environments && !view.environmentsOf(file.path).some((env) => wanted.includes(env))) continue;
        for (const doc of file.documents) {
          context.tick();
          const scoped = documentInScope(scope, file, doc, view);
          if (scoped) yield scoped;
          // The rule's work on a document may have moved on to other files (a kustomize build...).
          context.current = file.path;
        }
      }
      if (built) {
        for (const env of view.environments) {
          for (const resource of view.build(env)) {
            context.tick(resource.file.path);
            const scoped = builtInScope(scope, resource, org);
            if (scoped) yield scoped;
            context.current = resource.file.path;
          }
        }
      }
    },
    report: (file, range, message) => sink.push({ file, ...range, message }),
    reportAt: (file, doc, path, message, options) => {
      const range = (options?.key ? doc.locateKey?.(path) : undefined) ?? doc.locate(path);
      sink.push({ file, ...range, message });
    },
    tick: (file) => {
      // Every unit, not every few: one unit can be long (a regular expression over a whole file, a
      // schema over a large document), and reading the clock costs far less than any unit.
      // Out of time before the first file: that file is the one it could not check.
      if (context.current === undefined) context.current = file;
      if (monotonicMs() > deadline) throw new BudgetExceeded();
      if (file !== undefined) context.current = file;
    },
  };
  return context;
}
