// `npm run kind-modules [-- --check]`: write the KIND_MODULES table of src/validate/kind-modules.ts from
// the installed kubernetes-models packages, one literal import per module that defines a kind
// (`X.kind="..."`). A bundle cannot follow the validator's computed imports; these literal ones it
// can. Everything after the table in that file is hand-written and kept. With --check, only compare.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const FILE = join(root, 'src', 'validate', 'kind-modules.ts');
const PACKAGES = ['kubernetes-models', '@kubernetes-models/external-secrets', '@kubernetes-models/argo-cd'];

/** Every module of the kubernetes-models packages that defines a kind, as the validator names it. */
export function installedKindModules() {
  const specifiers = [];
  for (const pkg of PACKAGES) {
    const base = join(root, 'node_modules', pkg);
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (entry.name.startsWith('_')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.mjs') && entry.name !== 'index.mjs' && /\.kind="/.test(readFileSync(path, 'utf8'))) {
          specifiers.push(`${pkg}/${relative(base, path).slice(0, -'.mjs'.length)}`);
        }
      }
    };
    walk(base);
  }
  return specifiers;
}

const HEADER = `/**
 * Every Kubernetes kind module of the kubernetes-models packages, by the specifier the validator imports
 * (src/validate/kubernetes-kinds.ts). The validator imports them by a computed name, which a bundle cannot
 * follow: listing them with literal imports puts them in a bundle (the Action's, and the CLI's
 * dist/cli/kinds.cjs), each loaded on first use.
 * Written by \`npm run kind-modules\` (scripts/kind-modules.js) from the installed packages, down to the
 * end of the table; test/action-bundle.test.ts fails when it is out of date.
 */
`;

/** The file as the script writes it: the generated table, then the hand-written rest of today's file. */
export function kindModulesFile(current = readFileSync(FILE, 'utf8')) {
  const end = current.indexOf(']);\n');
  const rest = end >= 0 ? current.slice(end + ']);\n'.length) : '';
  const entries = installedKindModules().map((specifier) => `  ['${specifier}', () => import('${specifier}')],\n`).join('');
  return `${HEADER}export const KIND_MODULES: ReadonlyMap<string, () => Promise<unknown>> = new Map<string, () => Promise<unknown>>([\n${entries}]);\n${rest}`;
}

if (import.meta.filename === process.argv[1]) {
  const current = readFileSync(FILE, 'utf8');
  const next = kindModulesFile(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      process.stderr.write(`kind-modules: ${relative(root, FILE)} is out of date: run \`npm run kind-modules\`\n`);
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(FILE, next);
    process.stdout.write(`kind-modules: wrote ${relative(root, FILE)}\n`);
  }
}
