/**
 * `--compare <rev>`: builds the connect handler of an earlier revision, so the benchmark can
 * run it interleaved with today's bundle. On a shared machine the load changes from minute to
 * minute; figures from another day cannot tell a regression from a busy neighbour, the same
 * run alternating both bundles can.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../scripts/bundle.ts';

/** Path of the revision's built connect handler; built with that revision's own bundle script. */
export function buildRevision(rev: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rev-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const archive = spawnSync('sh', ['-c', `git -C "${ROOT}" archive "$1" | tar -x -C "${dir}"`, 'sh', rev], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (archive.status !== 0) throw new Error(`--compare ${rev}: git archive failed: ${archive.stderr.toString().trim()}`);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const built = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bundle.ts'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const bundlePath = join(dir, 'dist/connect-handler/index.mjs');
  if (built.status !== 0 || !existsSync(bundlePath)) throw new Error(`--compare ${rev}: building failed: ${built.stderr.toString().trim().slice(0, 500)}`);
  return bundlePath;
}
