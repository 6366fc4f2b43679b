/** The registry of built-in checks, by the name policy files use. Adding one is a file and a line here. */
import { actionsPinned } from './actions-pinned.js';
import { catalogConsistent } from './catalog-consistent.js';
import { codeownersOwner } from './codeowners-owner.js';
import { conflictMarkers } from './conflict-markers.js';
import { environmentsComplete } from './environments-complete.js';
import { exceptionValid } from './exception-valid.js';
import { imageTagPinned } from './image-tag-pinned.js';
import { managedFileDrift } from './managed-file-drift.js';
import { platformWorkflowPresent } from './platform-workflow-present.js';
import type { BuiltinCheck } from './registry.js';
import { replicasMin } from './replicas-min.js';
import { secretsDeclared } from './secrets-declared.js';
import { textPatterns } from './text-patterns.js';
import { workflowBotConditions } from './workflow-bot-conditions.js';
import { workflowCachePoisoning } from './workflow-cache-poisoning.js';
import { workflowDangerousTrigger } from './workflow-dangerous-trigger.js';
import { workflowGithubEnv } from './workflow-github-env.js';
import { workflowInjection } from './workflow-injection.js';
import { workflowPermissions } from './workflow-permissions.js';
import { workflowPersistCredentials } from './workflow-persist-credentials.js';
import { workflowSelfHostedRunner } from './workflow-self-hosted-runner.js';
import { yamlAmbiguousScalar } from './yaml-ambiguous-scalar.js';

export type { BuiltinCheck } from './registry.js';

export const BUILTIN_CHECKS: ReadonlyMap<string, BuiltinCheck> = new Map(
  [
    actionsPinned,
    catalogConsistent,
    codeownersOwner,
    conflictMarkers,
    environmentsComplete,
    exceptionValid,
    imageTagPinned,
    managedFileDrift,
    platformWorkflowPresent,
    replicasMin,
    secretsDeclared,
    textPatterns,
    workflowBotConditions,
    workflowCachePoisoning,
    workflowDangerousTrigger,
    workflowGithubEnv,
    workflowInjection,
    workflowPermissions,
    workflowPersistCredentials,
    workflowSelfHostedRunner,
    yamlAmbiguousScalar,
  ].map((check) => [check.name, check]),
);
