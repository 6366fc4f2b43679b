import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { describeMigration, migrateDocument, migrationsFor, parseMigrations, type Migration } from '../src/upgrade/migrations.js';

const manifest = `# the team's comment stays
apiVersion: platform.acme.dev/v1
kind: Service
metadata:
  name: svc
  team: team-a # who owns it
spec:
  databases:
    - { name: main, engine: postgres }
    - { name: audit, engine: postgres, size: large }
  legacy: true
`;

function migrate(migrations: Migration[]): { text: string; applied: string[] } {
  const doc = parseDocument(manifest);
  const applied = migrateDocument(doc, migrations);
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: true }), applied };
}

describe('answer migrations', () => {
  it('renames a field and keeps the comments around it', () => {
    const { text, applied } = migrate([{ from: '<2.0.0', rename: { from: 'metadata.team', to: 'metadata.owner' } }]);
    expect(text).toContain('# the team\'s comment stays\n');
    expect(text).toContain('owner: team-a');
    expect(text).not.toContain('team: team-a');
    expect(applied).toEqual(['rename metadata.team to metadata.owner']);
  });

  it('sets a default in every list item that lacks it, and only there', () => {
    const { text } = migrate([{ from: '<2.0.0', default: { path: 'spec.databases[*].size', value: 'small' } }]);
    expect(text).toContain('{ name: main, engine: postgres, size: small }');
    expect(text).toContain('{ name: audit, engine: postgres, size: large }');
  });

  it('drops a field', () => {
    const { text } = migrate([{ from: '<2.0.0', drop: 'spec.legacy' }]);
    expect(text).not.toContain('legacy');
  });

  it('reports only the migrations that changed something', () => {
    expect(migrate([{ from: '<2.0.0', drop: 'spec.nothing' }]).applied).toEqual([]);
  });

  it('refuses a rename onto a field that already exists', () => {
    expect(() => migrate([{ from: '<2.0.0', rename: { from: 'metadata.team', to: 'metadata.name' } }])).toThrow(/metadata.name already exists/);
  });

  it('applies a migration only to the recorded versions in its range', () => {
    const migrations: Migration[] = [
      { from: '<1.1.0', drop: 'a' },
      { from: '>=1.1.0 <2.0.0', drop: 'b' },
    ];
    expect(migrationsFor(migrations, '1.0.0').map(describeMigration)).toEqual(['drop a']);
    expect(migrationsFor(migrations, '1.5.0').map(describeMigration)).toEqual(['drop b']);
    expect(migrationsFor(migrations, '2.0.0')).toEqual([]);
  });

  it.each([
    [[{ rename: { from: 'a', to: 'b' } }], 'migrations.0.from: expected the semver range'],
    [[{ from: '<2.0.0' }], 'migrations.0: expected exactly one of rename, default, drop'],
    [[{ from: '<2.0.0', default: { path: 'a' } }], 'migrations.0.default: expected { path: PATH, value: VALUE }'],
    [[{ from: '<2.0.0', drop: 'spec..x' }], 'is not a path'],
    ['nope', 'migrations: expected a list'],
  ])('refuses a malformed migration in template.yaml: %j', (value, message) => {
    expect(() => parseMigrations(value, 'service/template.yaml')).toThrow(message);
  });
});
