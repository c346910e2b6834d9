// Installs the gate's dependencies with `npm ci --ignore-scripts --no-audit --no-fund`, unless
// node_modules already holds exactly what package-lock.json pins and the grammar loads. No package
// script ever runs: the parser and the grammar are WebAssembly, shipped ready in the packages, and
// npm checks every file against the lock's integrity hashes.

import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function pinned(lockPath) {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  const out = {};
  for (const [path, meta] of Object.entries(lock.packages ?? {})) {
    if (path.startsWith('node_modules/')) out[path] = `${meta.version} ${meta.integrity}`;
  }
  return out;
}

async function upToDate() {
  try {
    const wanted = pinned(join(here, 'package-lock.json'));
    // npm writes this copy of the lock into node_modules after every install.
    const installed = pinned(join(here, 'node_modules', '.package-lock.json'));
    const same =
      Object.keys(wanted).length === Object.keys(installed).length &&
      Object.entries(wanted).every(([path, id]) => installed[path] === id);
    if (!same) return false;
    // A half-finished install can leave the lock behind without a loadable runtime.
    const { Parser } = await import('web-tree-sitter');
    await Parser.init();
    return true;
  } catch {
    return false;
  }
}

if (await upToDate()) {
  console.log('ps-syntax: node_modules matches package-lock.json, npm ci skipped');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
  cwd: here,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (run.error) {
  console.error(`ps-syntax: could not run npm: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
