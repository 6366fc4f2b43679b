/**
 * The Kubernetes-facing settings that came with template 1.1.0 are optional: a settings file written
 * before them still renders a deployment that builds and validates, with the documented defaults.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRepository } from '../src/generate/new.js';
import { templatesDir } from '../src/core/paths.js';
import { UserError } from '../src/core/errors.js';
import { loadTemplateSource } from '../src/render/source.js';
import { loadSettings } from '../src/settings/settings.js';
import { deployBehaviourProblems } from './helpers/deploy-behaviour.js';
import { checkDeployment } from './helpers/k8s-checks.js';
import { manifestFor, tempDir } from './helpers/repo.js';

describe('settings without the 1.1.0 deployment keys', () => {
  it('render without pull secret, ingress or placeholder, each environment still reading its own entry', async () => {
    const root = tempDir('platform-deploy-settings-');
    const dir = join(root, 'templates');
    cpSync(templatesDir, dir, { recursive: true });
    const file = join(dir, 'settings.yaml');
    const text = readFileSync(file, 'utf8');
    const stripped = text
      .replace(/\n# How the pods get their images\.\nimages:\n(  .*\n)+/, '\n')
      .replace(/\n# How each environment reaches the service[^\n]*\n(#[^\n]*\n)*ingress:\n(  .*\n)+/, '\n')
      .replace(/\n(  #[^\n]*\n)*  pathPattern: [^\n]*\n/, '\n')
      .replace(/\n(  #[^\n]*\n)*  property: value\n/, '\n');
    for (const key of ['images:', 'ingress:', 'pathPattern:', 'property: value']) expect(stripped).not.toContain(key);
    writeFileSync(file, stripped);
    const source = loadTemplateSource(dir);
    const repo = join(root, 'svc');
    generateRepository(repo, manifestFor({ environments: ['dev', 'prod'], secrets: [{ name: 'key', env: 'KEY', path: 'svc/key' }] }), source);
    const check = await checkDeployment(repo);
    expect(check.problems).toEqual([]);
    expect(deployBehaviourProblems(repo, check, source.settings)).toEqual([]);
    const dev = check.overlays.get('dev')!;
    const pod = dev.find((r) => r.kind === 'Deployment')!.spec.template.spec;
    expect(pod.imagePullSecrets).toBeUndefined();
    expect(pod.containers[0].image).toBe('ghcr.io/acme/payments-api:0.0.0');
    expect(dev.filter((r) => r.kind === 'Ingress')).toEqual([]);
    expect(dev.filter((r) => r.kind === 'ExternalSecret').map((r) => r.spec.data[0].remoteRef)).toEqual([{ key: 'dev/svc/key', property: 'value' }]);
  }, 60_000);
});

describe('the 1.1.0 deployment keys, mistyped', () => {
  it.each([
    ['an ingress host every service would share', 'hostPattern: "{name}.{env}.{domain}"', 'hostPattern: "{env}.{domain}"', 'hostPattern'],
    ['a store path pattern without the path', 'pathPattern: "{env}/{path}"', 'pathPattern: "{env}/shared"', 'pathPattern'],
    ['a placeholder image without a tag', 'placeholder: ghcr.io/acme/platform-placeholder:1.0.0', 'placeholder: ghcr.io/acme/platform-placeholder', 'placeholder'],
  ])('%s is refused, naming the file and line', (_name, from, to, key) => {
    const file = join(tempDir('platform-deploy-settings-'), 'settings.yaml');
    const text = readFileSync(join(templatesDir, 'settings.yaml'), 'utf8');
    expect(text).toContain(from);
    writeFileSync(file, text.replace(from, to));
    const line = text.split('\n').findIndex((candidate) => candidate.includes(from)) + 1;
    let error: unknown;
    try {
      loadSettings(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect([(error as UserError).file, (error as UserError).line]).toEqual([file, line]);
    expect((error as UserError).message).toMatch(new RegExp(key));
  });
});
