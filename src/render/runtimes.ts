/**
 * The registry of runtimes. Adding one is this entry plus its folder `templates/service/runtimes/<id>/`
 * (app skeleton, tests, Dockerfile); everything else in a repository is shared.
 */
export interface Runtime {
  id: string;
  displayName: string;
  /** The port the app listens on inside the container. */
  port: number;
  /** What `catalog-info.yaml` and the README call the language. */
  language: string;
  /** How the generated app runs its own tests, as the README tells the team. */
  testCommand: string;
  /** The reusable workflow that builds and tests this runtime, in the organization's workflows repository. */
  buildWorkflow: string;
  /** Dependabot's package-ecosystem for the app's own dependencies (`.github/dependabot.yml`). */
  dependabotEcosystem: string;
}

export const RUNTIMES: readonly Runtime[] = [
  { id: 'node', displayName: 'Node.js', port: 8080, language: 'javascript', testCommand: 'npm test', buildWorkflow: 'node-build.yml', dependabotEcosystem: 'npm' },
  { id: 'python', displayName: 'Python', port: 8080, language: 'python', testCommand: 'python -m unittest discover -s tests', buildWorkflow: 'python-build.yml', dependabotEcosystem: 'pip' },
];

export function runtimeById(id: string): Runtime | undefined {
  return RUNTIMES.find((runtime) => runtime.id === id);
}
