/**
 * The organization's Argo CD setup in argocd/ (the ApplicationSet that finds every service repository,
 * and the projects): valid against the upstream CRDs, in step with the organization settings, and
 * admitting exactly what a generated repository's Applications deploy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadSettings } from '../src/settings/settings.js';
import { resourceProblems, type K8sObject } from './helpers/k8s-checks.js';
import { generateTemp, repoRoot } from './helpers/repo.js';

const documents = (file: string): K8sObject[] => parseAllDocuments(readFileSync(join(repoRoot, 'argocd', file), 'utf8'), { uniqueKeys: true }).map((doc) => doc.toJS() as K8sObject);
const [applicationSet] = documents('applicationset.yaml');
const projects = new Map(documents('appprojects.yaml').map((project) => [project.metadata!.name!, project]));
const settings = loadSettings();
/** Argo CD's sourceRepos glob: `*` within a path segment. */
const globMatches = (glob: string, value: string): boolean => new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('[^/]*')}$`).test(value);

describe('argocd/', () => {
  it('validates against the upstream ApplicationSet and AppProject CRDs', async () => {
    for (const resource of [applicationSet!, ...projects.values()]) expect(await resourceProblems(resource), `${resource.kind} ${resource.metadata?.name}`).toEqual([]);
    const broken = structuredClone(applicationSet!);
    broken.spec.generators[0].scmProvider.github.org = broken.spec.generators[0].scmProvider.github.organization;
    delete broken.spec.generators[0].scmProvider.github.organization;
    expect((await resourceProblems(broken)).join('\n')).toMatch(/organization/);
  });

  it('finds the repositories of the organization that a generated repository is one of', () => {
    const scm = applicationSet!.spec.generators[0].scmProvider;
    expect(applicationSet!.metadata?.namespace).toBe(settings.argocd.namespace);
    expect(scm.github.organization).toBe(settings.organization.github);
    const [path] = scm.filters[0].pathsExist as string[];
    const repo = generateTemp({ name: 'svc', environments: ['dev', 'prod'] });
    expect(existsSync(join(repo, path!))).toBe(true);
    expect(applicationSet!.spec.template.spec.source.path).toBe(path);
  });

  it('lets each repository create its Applications in the Argo CD namespace, and nothing else', () => {
    const template = applicationSet!.spec.template.spec;
    const apps = projects.get(template.project)!;
    expect(apps.spec.destinations).toEqual([{ server: template.destination.server, namespace: settings.argocd.namespace }]);
    expect(apps.spec.namespaceResourceWhitelist).toEqual([{ group: 'argoproj.io', kind: 'Application' }]);
    expect(apps.spec.clusterResourceWhitelist).toEqual([]);
  });

  it('admits what the Applications of a generated repository deploy, to the clusters of the settings', () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev', 'staging', 'prod'] });
    const services = projects.get(settings.argocd.project)!;
    expect(services.spec.destinations.map((destination: K8sObject) => destination.server).sort()).toEqual(settings.environments.map((env) => env.server).sort());
    for (const env of ['dev', 'staging', 'prod']) {
      const [application] = parseAllDocuments(readFileSync(join(repo, 'deploy/argocd', `${env}.yaml`), 'utf8')).map((doc) => doc.toJS() as K8sObject);
      expect(application!.metadata?.namespace).toBe(applicationSet!.spec.template.spec.destination.namespace);
      expect(application!.spec.project).toBe(settings.argocd.project);
      expect(services.spec.sourceRepos.some((glob: string) => globMatches(glob, application!.spec.source.repoURL))).toBe(true);
      expect(services.spec.destinations.some((d: K8sObject) => d.server === application!.spec.destination.server && globMatches(d.namespace, application!.spec.destination.namespace))).toBe(true);
      // CreateNamespace=true: the project must let the Application create its namespace.
      expect(application!.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
      expect(services.spec.clusterResourceWhitelist).toContainEqual({ group: '', kind: 'Namespace' });
    }
    const apps = projects.get(applicationSet!.spec.template.spec.project)!;
    expect(apps.spec.sourceRepos.some((glob: string) => globMatches(glob, `https://github.com/${settings.organization.github}/svc.git`))).toBe(true);
  });
});
