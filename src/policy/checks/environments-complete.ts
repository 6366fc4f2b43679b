/**
 * Every environment in platform.yaml has its kustomize overlay and its Argo CD Application, each
 * Application deploys its own overlay to the cluster the organization assigns to that environment, and
 * nothing is deployed to an environment the manifest does not list.
 */
import type { RepositoryFile, YamlDocument } from '../../validate/types.js';
import { OVERLAYS_DIR } from '../kustomize.js';
import { isPlainObject, valueAt } from '../select.js';
import { manifestDoc } from './manifest-doc.js';
import type { BuiltinCheck } from './registry.js';
import { fileHead } from './text.js';

interface Application {
  file: RepositoryFile;
  doc: YamlDocument;
}

export const environmentsComplete: BuiltinCheck = {
  name: 'environments-complete',
  scope: 'fixed',
  description: 'Checks that each environment of platform.yaml has deploy/overlays/<env>/ and an Argo CD Application in <applications>/<env>.yaml that deploys that overlay to the environment\'s server, and that there are no others.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { applications: { type: 'string', pattern: '^[A-Za-z0-9._/-]+$' } },
  },
  defaults: { applications: 'deploy/argocd' },
  run(context) {
    const manifest = manifestDoc(context.model);
    if (!manifest) return;
    const appsDir = String(context.params.applications).replace(/\/$/, '');
    const declared = manifest.environments;
    const applications = new Map<string, Application>();
    for (const file of context.model.files) {
      const match = file.path.startsWith(`${appsDir}/`) ? /^([^/]+)\.ya?ml$/.exec(file.path.slice(appsDir.length + 1)) : null;
      if (!match) continue;
      context.tick(file.path);
      const doc = file.documents.find((candidate) => isPlainObject(candidate.value) && candidate.value.kind === 'Application');
      if (doc) applications.set(match[1]!, { file, doc });
      else if (!declared.includes(match[1]!)) context.report(file.path, fileHead(file), `not an Argo CD Application of a declared environment`);
    }
    declared.forEach((env, index) => {
      const at = ['spec', 'environments', index];
      const overlay = context.kustomize.overlayFile(env);
      if (!overlay) context.reportAt(manifest.file.path, manifest.doc, at, `environment "${env}" has no overlay: add ${OVERLAYS_DIR}/${env}/kustomization.yaml`);
      const application = applications.get(env);
      if (!application) {
        context.reportAt(manifest.file.path, manifest.doc, at, `environment "${env}" has no Argo CD Application: add ${appsDir}/${env}.yaml`);
        return;
      }
      const { file, doc } = application;
      const path = valueAt(doc.value, ['spec', 'source', 'path']);
      if (path !== `${OVERLAYS_DIR}/${env}`) {
        context.reportAt(file.path, doc, ['spec', 'source', 'path'], `the Application of "${env}" deploys ${JSON.stringify(path ?? null)}, not ${OVERLAYS_DIR}/${env}`);
      }
      const server = context.settings.environments.find((candidate) => candidate.name === env)?.server;
      const actual = valueAt(doc.value, ['spec', 'destination', 'server']);
      if (server && actual !== server) {
        context.reportAt(file.path, doc, ['spec', 'destination', 'server'], `the Application of "${env}" deploys to ${JSON.stringify(actual ?? null)}, not the organization's ${env} cluster ${server}`);
      }
    });
    for (const env of context.kustomize.environments) {
      if (declared.includes(env)) continue;
      const overlay = context.kustomize.overlayFile(env);
      const file = overlay ?? context.model.files.find((candidate) => candidate.path.startsWith(`${OVERLAYS_DIR}/${env}/`))!;
      context.report(file.path, fileHead(file), `overlay for "${env}", which platform.yaml does not list in spec.environments`);
    }
    for (const [env, { file }] of applications) {
      if (!declared.includes(env)) context.report(file.path, fileHead(file), `Argo CD Application for "${env}", which platform.yaml does not list in spec.environments`);
    }
  },
};
