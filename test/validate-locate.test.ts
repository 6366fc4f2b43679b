/**
 * Positions: a finding points at the node at fault, through anchors, aliases and merge keys. A value
 * that arrives through an alias or a merge key is located where it is written (inside the anchored
 * node); a missing key is located at its parent.
 */
import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../src/validate/parse.js';
import { validateFiles } from '../src/validate/index.js';
import type { NodePath } from '../src/validate/types.js';

const TEXT = [
  'defaults: &defaults', //                       1
  '  image: nginx:latest', //                     2
  '  resources:', //                              3
  '    limits: { cpu: "1" }', //                  4
  'tag: &tag "1.2.3"', //                         5
  'containers:', //                               6
  '  - <<: *defaults', //                         7
  '    name: app', //                             8
  '  - name: sidecar', //                         9
  '    image: *tag', //                           10
  '    <<: [*defaults, { ports: [80] }]', //      11
  'copy: *defaults', //                           12
  'empty:', //                                    13
  'text: |', //                                   14
  '  line one', //                                15
  '  line two', //                                16
  '',
].join('\n');

function at(path: NodePath): string {
  const [document] = parseYamlText('x.yaml', TEXT).documents;
  const range = document!.locate(path);
  return `${range.line}:${range.column}-${range.endLine}:${range.endColumn}`;
}

function keyAt(path: NodePath): string | undefined {
  const [document] = parseYamlText('x.yaml', TEXT).documents;
  const range = document!.locateKey!(path);
  return range && `${range.line}:${range.column}-${range.endLine}:${range.endColumn}`;
}

describe('locate', () => {
  it('a scalar: its own text', () => {
    expect(at(['containers', 0, 'name'])).toBe('8:11-8:14');
    expect(at(['defaults', 'image'])).toBe('2:10-2:22');
  });

  it('a value inherited through a merge key: where the anchored map writes it', () => {
    expect(at(['containers', 0, 'image'])).toBe('2:10-2:22');
    expect(at(['containers', 0, 'resources', 'limits', 'cpu'])).toBe('4:20-4:23');
    expect(keyAt(['containers', 0, 'image'])).toBe('2:3-2:8');
  });

  it('an own key wins over a merged one; a merge list is searched in order', () => {
    expect(at(['containers', 1, 'image'])).toBe('5:11-5:18');
    expect(at(['containers', 1, 'resources'])).toBe('3:3-3:12');
    expect(at(['containers', 1, 'ports', 0])).toBe('11:31-11:33');
  });

  it('a value that arrives through an alias: the anchored node', () => {
    expect(at(['copy', 'image'])).toBe('2:10-2:22');
    expect(at(['containers', 1, 'image'])).toBe('5:11-5:18');
  });

  it('a block map at its key; a flow map at its text; a block scalar without its trailing newline', () => {
    expect(at(['defaults', 'resources'])).toBe('3:3-3:12');
    expect(at(['defaults', 'resources', 'limits'])).toBe('4:13-4:25');
    expect(at(['text'])).toBe('14:7-16:11');
  });

  it('an empty value at its key', () => {
    expect(at(['empty'])).toBe('13:1-13:6');
  });

  it('a missing key: the closest parent that exists', () => {
    expect(at(['containers', 0, 'missing'])).toBe('7:5-7:18');
    expect(at(['defaults', 'resources', 'requests', 'cpu'])).toBe('3:3-3:12');
    expect(at(['nothing', 'here'])).toBe('1:1-1:20');
    expect(keyAt(['containers', 0, 'missing'])).toBeUndefined();
  });
});

describe('schema findings at the offending node', () => {
  const deployment = (spec: string[]): Record<string, string> => ({
    'deploy/base/deployment.yaml': ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', ...spec, ''].join('\n'),
  });

  async function positions(files: Record<string, string>): Promise<string[]> {
    const result = await validateFiles(files, { now: new Date('2026-01-01') });
    return result.findings.filter((f) => f.policy === 'resource-schema').map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`);
  }

  it('a wrong type merged in from an anchor is reported where the anchor writes it', async () => {
    const files = deployment([
      'x-probe: &probe',
      '  periodSeconds: often',
      'spec:',
      '  selector: { matchLabels: { app: web } }',
      '  template:',
      '    metadata: { labels: { app: web } }',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: nginx:1.27',
      '          livenessProbe:',
      '            <<: *probe',
      '            httpGet: { path: /, port: 80 }',
    ]);
    expect(await positions(files)).toEqual(['deploy/base/deployment.yaml:6:18 spec.template.spec.containers[0].livenessProbe.periodSeconds: must be an integer']);
  });

  it('a missing required field is reported at the map that lacks it', async () => {
    const files = deployment(['spec:', '  template:', '    spec:', '      containers:', '        - image: nginx:1.27']);
    expect(await positions(files)).toEqual([
      'deploy/base/deployment.yaml:5:1 spec: missing required field "selector"',
      'deploy/base/deployment.yaml:9:11 spec.template.spec.containers[0]: missing required field "name"',
    ]);
  });

  it('a value that may be of two kinds (int-or-string) gets one message, not one per kind', async () => {
    const files = { 'deploy/base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: { name: http }\n' };
    expect(await positions(files)).toEqual(['deploy/base/service.yaml:8:19 spec.ports[0].targetPort: must be an integer or a string']);
  });

  it('an unknown field is reported at its key', async () => {
    const files = {
      '.github/workflows/ci.yml': ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    step:', '      - run: make', ''].join('\n'),
    };
    const result = await validateFiles(files);
    const found = result.findings.filter((f) => f.policy === 'workflow-schema').map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.message}`);
    expect(found).toEqual(["5:5-5:9 Unexpected value 'step'"]);
  });
});
