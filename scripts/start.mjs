// npm start: build only when dist/ is not current (scripts/build-stamp.mjs), then run the server in
// this process (`exec` in package.json: a SIGTERM sent to `npm start` reaches the server).
// `--build` builds when stale and exits; `--force` builds even when current (`npm run build`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { computeStamp, staleReason, writeStamp } from './build-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildOnly = process.argv.includes('--build');
const force = process.argv.includes('--force');
const started = performance.now();
// The stamp is taken before building: a file edited during the build makes the next start build again.
const { hash } = computeStamp(root);
const reason = force ? 'forced' : staleReason(root, hash);
if (reason) {
  console.log(`liaison: building (${reason})…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build:dist', '--silent'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeStamp(root, hash);
  console.log(`liaison: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} else {
  console.log(`liaison: build is current (${hash.slice(0, 12)}, checked in ${Math.round(performance.now() - started)} ms)`);
}
if (!buildOnly) await import(pathToFileURL(path.join(root, 'dist/server/main.js')).href);
