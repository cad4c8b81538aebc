// The build stamp: one hash over everything `npm run build` reads (sources, configs, the lock file).
// `npm start` compares it with the stamp the last build wrote into dist/ and builds only when they
// differ or an output is missing, so a start on a current build takes as long as the server itself.
// Plain JavaScript on purpose: it runs before anything is compiled. Types in build-stamp.d.mts.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What the build reads, relative to the project root; directories are walked. */
export const BUILD_INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
/** What the build writes; a missing one means "build", whatever the stamp says. */
export const BUILD_OUTPUTS = ['dist/web/index.html', 'dist/server/main.js'];
export const STAMP_FILE = 'dist/.build-stamp';

// Tests and test helpers are not part of the build: editing them does not make the build stale.
const IGNORED = /(\.test\.tsx?$)|(^src\/web\/testing\/)/;

function walk(root, rel, out) {
  const abs = path.join(root, rel);
  let stat;
  try {
    stat = fs.statSync(abs);
  } catch {
    return; // an optional input (no lock file) is simply absent
  }
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(abs).sort()) walk(root, `${rel}/${name}`, out);
  } else if (stat.isFile() && !IGNORED.test(rel)) out.push(rel);
}

/** The hash of every build input under `root`: file names and contents, in a fixed order. */
export function computeStamp(root) {
  const files = [];
  for (const input of BUILD_INPUTS) walk(root, input, files);
  const hash = createHash('sha256');
  for (const rel of files) {
    hash.update(rel);
    hash.update('\0');
    hash.update(fs.readFileSync(path.join(root, rel)));
    hash.update('\0');
  }
  return { hash: hash.digest('hex'), files: files.length };
}

export function readStamp(root) {
  try {
    return fs.readFileSync(path.join(root, STAMP_FILE), 'utf8').trim();
  } catch {
    return null;
  }
}

export function writeStamp(root, hash) {
  fs.mkdirSync(path.join(root, path.dirname(STAMP_FILE)), { recursive: true });
  fs.writeFileSync(path.join(root, STAMP_FILE), `${hash}\n`);
}

/** Why a build is needed, or null when dist/ was built from exactly these sources. */
export function staleReason(root, hash) {
  const missing = BUILD_OUTPUTS.find((o) => !fs.existsSync(path.join(root, o)));
  if (missing) return `${missing} is missing`;
  const stamp = readStamp(root);
  if (stamp === null) return 'no build stamp';
  if (stamp !== hash) return 'sources changed since the last build';
  return null;
}
