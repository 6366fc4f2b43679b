import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from './repo.js';

/**
 * A Python virtual environment holding a generated project's pinned requirements, made as a team makes
 * one (`python3 -m venv`, `pip install -r requirements.txt`) in a temporary folder removed after the test
 * file. Where PyPI cannot be reached, Debian's packages stand in (python3-gunicorn, python3-psycopg): a
 * venv of the system's python3 that sees them. Returns the venv's python.
 */
export function pythonWithRequirements(requirementsFile: string): string {
  const venv = join(tempDir('platform-venv-'), 'venv');
  const python = join(venv, 'bin', 'python');
  const made = run('python3', ['-m', 'venv', venv]);
  const installed = made.ok ? run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirementsFile]) : made;
  if (installed.ok) return python;

  const system = join(tempDir('platform-venv-'), 'venv');
  const systemPython = join(system, 'bin', 'python');
  const fallback = run('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', '--without-pip', system]);
  const found = fallback.ok ? run(systemPython, ['-c', 'import gunicorn, psycopg']) : fallback;
  if (found.ok) return systemPython;
  throw new Error(
    `could not install ${requirementsFile} from PyPI (${installed.output.trim()}), nor use Debian's packages ` +
      `(${found.output.trim()}): reach PyPI, or apt-get install python3-gunicorn python3-psycopg`,
  );
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, PIP_NO_INPUT: '1' } });
  return { ok: result.status === 0, output: `${result.error?.message ?? ''}${result.stderr ?? ''}`.split('\n').slice(-5).join(' ') };
}
