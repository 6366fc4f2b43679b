import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Tests run the real CLI from dist/: build it once first (as `npm run build` does), so they never test a stale build. */
export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'compile-schemas.js')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle-cli.js')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'code-cache.js')], { stdio: 'inherit' });
}
