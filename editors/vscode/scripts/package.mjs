// Packages the extension: one .vsix per platform, each carrying that
// platform's static seedls binary as server/seedls (server/seedls.exe on
// Windows), and a platform-neutral .vsix without a binary (it runs seedls
// from seedls.path or PATH).
//
//   node scripts/package.mjs [--bin-dir DIR] [--out-dir DIR] [--targets all|none|T,T…] [--no-neutral]
//
// The binaries are `make cross`'s: DIR/<os>-<arch>/seedls[.exe] (default
// ../../bin). Each package is checked after it is written: the binary is in
// it, whole, with its execute bits, and nothing else is in server/.

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listZip } from './zip.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** vsce's target names and the folders `make cross` writes. */
export const TARGETS = {
  'linux-x64': 'linux-amd64/seedls',
  'linux-arm64': 'linux-arm64/seedls',
  'darwin-x64': 'darwin-amd64/seedls',
  'darwin-arm64': 'darwin-arm64/seedls',
  'win32-x64': 'windows-amd64/seedls.exe',
  'win32-arm64': 'windows-arm64/seedls.exe',
};

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const binDir = resolve(root, option('--bin-dir', '../../bin'));
const outDir = resolve(root, option('--out-dir', '.'));
const targetsArg = option('--targets', 'all');
const targets = targetsArg === 'all' ? Object.keys(TARGETS) : targetsArg === 'none' ? [] : targetsArg.split(',');
const neutral = !process.argv.includes('--no-neutral');
for (const t of targets) {
  if (!(t in TARGETS)) throw new Error(`unknown target ${t}: one of ${Object.keys(TARGETS).join(', ')}`);
}

const serverDir = join(root, 'server');
const vsce = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
mkdirSync(outDir, { recursive: true });

function vscePackage(args, out) {
  const r = spawnSync(vsce, ['package', '--no-dependencies', ...args, '--out', out], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vsce package ${args.join(' ')} failed (${r.error ?? `status ${r.status}`})`);
}

function check(vsix, binary, expected) {
  const entries = listZip(readFileSync(vsix));
  const server = entries.filter((e) => e.name.startsWith('extension/server/'));
  if (binary === undefined) {
    if (server.length > 0) throw new Error(`${vsix} should carry no server, has ${server.map((e) => e.name)}`);
    return 'no server';
  }
  const name = `extension/server/${binary}`;
  if (server.length !== 1 || server[0].name !== name) {
    throw new Error(`${vsix}: server/ holds ${JSON.stringify(server.map((e) => e.name))}, expected ${name}`);
  }
  const e = server[0];
  if (e.size !== expected.size) throw new Error(`${vsix}: ${name} is ${e.size} bytes, the binary ${expected.size}`);
  if (!binary.endsWith('.exe') && (e.mode & 0o111) === 0) {
    throw new Error(`${vsix}: ${name} lost its execute bits (mode ${e.mode?.toString(8)})`);
  }
  return `${name}, ${(e.size / 1048576).toFixed(1)} MiB, mode ${e.mode?.toString(8) ?? 'unset'}`;
}

const written = [];
try {
  for (const target of targets) {
    const source = join(binDir, TARGETS[target]);
    if (!existsSync(source)) throw new Error(`${source} is missing: run "make cross" in the repository root`);
    const binary = TARGETS[target].split('/')[1];
    rmSync(serverDir, { recursive: true, force: true });
    mkdirSync(serverDir);
    copyFileSync(source, join(serverDir, binary));
    chmodSync(join(serverDir, binary), 0o755);
    const out = join(outDir, `seedls-${target}-${pkg.version}.vsix`);
    vscePackage(['--target', target], out);
    written.push(`${out}: ${check(out, binary, statSync(source))}`);
  }
  if (neutral) {
    rmSync(serverDir, { recursive: true, force: true });
    const out = join(outDir, `seedls-${pkg.version}.vsix`);
    vscePackage([], out);
    written.push(`${out}: ${check(out, undefined)}`);
  }
} finally {
  rmSync(serverDir, { recursive: true, force: true });
}
for (const line of written) console.log(`packaged ${line}`);
