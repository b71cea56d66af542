// Tests of the extension's vscode-free parts (bundled into dist/ by
// `npm run build`), of package.json, and of the test LSP framer. They need
// neither VS Code nor the seedls binary.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MessageReader, encodeMessage, hoverText, positionAt } from './lsp.mjs';
import { configurationItem, packageJson, seedlsConfiguration } from './vscodeConfig.mjs';

const require = createRequire(import.meta.url);
const so = require('../dist/serverOptions.js');
const { summarizeIndexStatus } = require('../dist/indexStatus.js');
const nb = require('../dist/neighbourhood.js');

const CODES = [
  'unknown-reference',
  'duplicate-id',
  'near-duplicate',
  'restated',
  'unlinked-claim',
  'unresolved-neighbour',
  'malformed',
  'id-title-mismatch',
  'inactive-reference',
  'unreadable',
];

describe('initializationOptions', () => {
  test('is the seedls section without path and trace', () => {
    const options = so.initializationOptions(seedlsConfiguration({ path: '/x/seedls', 'trace.server': 'verbose' }));
    assert.deepEqual(options, {
      diagnostics: { severity: {} },
      files: { include: [], exclude: ['**/.git/**', '**/node_modules/**'], maxSizeMiB: 4 },
      completion: { limit: 50 },
      inlayHints: { enable: true },
      logLevel: 'info',
      cacheDirectory: '',
      newEntityFolder: '',
    });
  });
  test('keeps user values and drops the methods of a WorkspaceConfiguration', () => {
    const config = {
      ...seedlsConfiguration({ 'diagnostics.severity': { restated: 'off' }, 'completion.limit': 10 }),
      get() {},
      has() {},
      inspect() {},
      update() {},
    };
    const options = so.initializationOptions(config);
    assert.deepEqual(options.diagnostics, { severity: { restated: 'off' } });
    assert.equal(options.completion.limit, 10);
    for (const k of ['get', 'has', 'inspect', 'update', 'path', 'trace']) assert.ok(!(k in options), k);
    assert.doesNotThrow(() => JSON.stringify(options));
  });
  test('does not change the configuration it is given', () => {
    const config = seedlsConfiguration({ path: '/x' });
    so.initializationOptions(config);
    assert.equal(config.path, '/x');
    assert.ok(config.trace);
  });
});

// Headers of real program files, as the six `make cross` binaries start.
function elf(machine) {
  const b = Buffer.alloc(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  b.writeUInt16LE(machine, 18);
  return b;
}
function macho(cpu) {
  const b = Buffer.alloc(32);
  b.set([0xcf, 0xfa, 0xed, 0xfe]);
  b.writeUInt32LE(cpu, 4);
  return b;
}
function pe(machine) {
  const b = Buffer.alloc(256);
  b.set([0x4d, 0x5a]);
  b.writeUInt32LE(0x80, 0x3c);
  b.writeUInt32LE(0x00004550, 0x80);
  b.writeUInt16LE(machine, 0x84);
  return b;
}
const HEADERS = {
  'linux-x64': elf(0x3e),
  'linux-arm64': elf(0xb7),
  'darwin-x64': macho(0x01000007),
  'darwin-arm64': macho(0x0100000c),
  'win32-x64': pe(0x8664),
  'win32-arm64': pe(0xaa64),
};

/** A file system in a map: path -> { kind, exec, head }; records chmods. */
function fakeProbe(files, { chmodFails = false } = {}) {
  const chmods = [];
  return {
    chmods,
    kind: (f) => (f in files ? (files[f].dir ? 'other' : 'file') : 'missing'),
    executable: (f) => files[f]?.exec !== false,
    makeExecutable(f) {
      chmods.push(f);
      if (chmodFails) throw Object.assign(new Error(`EPERM: operation not permitted, chmod '${f}'`), { code: 'EPERM' });
      files[f].exec = true;
    },
    header: (f) => files[f]?.head,
  };
}

describe('resolveServer on POSIX (real files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seedls-resolve-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const mk = (rel, mode = 0o755, head = HEADERS['linux-x64']) => {
    const file = join(dir, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, head);
    chmodSync(file, mode);
    return file;
  };
  const ext = join(dir, 'ext'); // an installed per-platform package
  const bundled = mk('ext/server/seedls');
  const neutral = join(dir, 'neutral'); // the platform-neutral package
  mkdirSync(neutral);
  const onPath = mk('path1/seedls');
  mk('path0/seedls', 0o644); // on PATH but not executable: skipped
  mkdirSync(join(dir, 'path2/seedls'), { recursive: true }); // a folder named seedls: skipped
  const custom = mk('opt/seedls-dev');
  const rel = mk('ws/tools/seedls');
  const home = mk('home/bin/seedls');
  const script = mk('opt/wrapper.sh', 0o755, Buffer.from('#!/bin/sh\nexec seedls "$@"\n'));
  const PATH = [join(dir, 'path2'), 'relative/bin', join(dir, 'path0'), join(dir, 'path1')].join(':');
  const base = { platform: 'linux', arch: 'x64', homeDir: join(dir, 'home'), env: { PATH } };

  test('seedls.path comes first, then the bundled binary, then PATH', () => {
    assert.deepEqual(so.resolveServer({ ...base, configuredPath: custom, extensionPath: ext }), {
      ok: true,
      source: 'setting',
      path: custom,
      notes: [],
    });
    assert.deepEqual(so.resolveServer({ ...base, configuredPath: '  ', extensionPath: ext }), {
      ok: true,
      source: 'bundled',
      path: bundled,
      notes: [],
    });
    const r = so.resolveServer({ ...base, extensionPath: neutral });
    assert.equal(r.ok, true);
    assert.equal(r.source, 'path');
    assert.equal(r.path, onPath, 'skips a folder, a relative entry and a file without x');
    assert.match(r.notes.join('\n'), /No server bundled with the extension .*neutral\/server\/seedls.*looking for seedls on PATH/);
  });

  test('a seedls.path that does not exist says so and falls back to nothing', () => {
    const missing = join(dir, 'nope/seedls');
    const r = so.resolveServer({ ...base, configuredPath: missing, extensionPath: ext });
    assert.equal(r.ok, false);
    assert.equal(r.reason, 'setting-missing');
    assert.ok(r.message.includes('seedls.path'), r.message);
    assert.ok(r.message.includes(missing), r.message);
    assert.match(r.message, /does not exist/);
    assert.doesNotMatch(r.message, /go install/);
  });

  test('a seedls.path that is a folder, or not executable, is refused as it is', () => {
    const folder = so.resolveServer({ ...base, configuredPath: join(dir, 'path2/seedls'), extensionPath: ext });
    assert.equal(folder.reason, 'setting-not-a-file');
    const noExec = join(dir, 'path0/seedls');
    const r = so.resolveServer({ ...base, configuredPath: noExec, extensionPath: ext });
    assert.equal(r.reason, 'setting-not-executable');
    assert.ok(r.message.includes(noExec));
    assert.equal(statSync(noExec).mode & 0o777, 0o644, "the user's own file is not chmodded");
  });

  test('relative seedls.path from the workspace folder, ~ from home, a bare name from PATH', () => {
    assert.equal(so.resolveServer({ ...base, configuredPath: 'tools/seedls', baseDir: join(dir, 'ws') }).path, rel);
    assert.equal(so.resolveServer({ ...base, configuredPath: './tools/../tools/seedls', baseDir: join(dir, 'ws') }).path, rel);
    const noBase = so.resolveServer({ ...base, configuredPath: 'tools/seedls' });
    assert.equal(noBase.ok, false);
    assert.match(noBase.message, /relative path, but no workspace folder/);
    assert.equal(so.resolveServer({ ...base, configuredPath: '~/bin/seedls' }).path, home);
    assert.equal(so.resolveServer({ ...base, configuredPath: 'seedls' }).path, onPath);
    const bare = so.resolveServer({ ...base, configuredPath: 'seedls-nightly', extensionPath: ext });
    assert.equal(bare.ok, false);
    assert.match(bare.message, /seedls\.path is set to "seedls-nightly", but no program of that name is on PATH/);
  });

  test('a wrapper script is accepted; its format is not judged', () => {
    assert.equal(so.resolveServer({ ...base, configuredPath: script }).path, script);
  });

  test('a bundled binary that lost its execute bit is chmodded once', () => {
    const e = join(dir, 'unzipped');
    const file = mk('unzipped/server/seedls', 0o644);
    const r = so.resolveServer({ ...base, extensionPath: e });
    assert.equal(r.ok, true);
    assert.equal(r.source, 'bundled');
    assert.equal(r.path, file);
    assert.equal(statSync(file).mode & 0o777, 0o755);
    assert.match(r.notes[0], /had no execute permission; it was added \(chmod \+x\)/);
    assert.deepEqual(so.resolveServer({ ...base, extensionPath: e }).notes, [], 'nothing to do the second time');
  });

  test('a bundled binary that cannot be made executable is one clear error, not a fallback to PATH', () => {
    const e = '/x/ext';
    const probe = fakeProbe({ '/x/ext/server/seedls': { exec: false, head: HEADERS['linux-x64'] }, '/usr/bin/seedls': {} });
    const r = so.resolveServer({ ...base, env: { PATH: '/usr/bin' }, extensionPath: e, probe: { ...probe, makeExecutable: () => { throw new Error('EROFS: read-only file system'); } } });
    assert.equal(r.ok, false);
    assert.equal(r.reason, 'bundled-not-executable');
    assert.match(r.message, /\/x\/ext\/server\/seedls, cannot be run: it has no execute permission and adding it failed \(EROFS/);
  });

  test('nothing anywhere: how to get a server, without go install', () => {
    const r = so.resolveServer({ ...base, env: { PATH: join(dir, 'path0') }, extensionPath: neutral });
    assert.equal(r.ok, false);
    assert.equal(r.reason, 'not-found');
    assert.match(r.message, /seedls-linux-x64-<version>\.vsix/);
    assert.match(r.message, /seedls\.path/);
    assert.match(r.message, /make build/);
    assert.doesNotMatch(r.message, /go install/);
    assert.match(r.notes.at(-1), /seedls is not on PATH \(/);
  });

  test("another platform's binary is named as such, wherever it came from", () => {
    const e = join(dir, 'wrong');
    const file = mk('wrong/server/seedls', 0o755, HEADERS['darwin-arm64']);
    const r = so.resolveServer({ ...base, extensionPath: e });
    assert.equal(r.ok, false);
    assert.equal(r.reason, 'wrong-platform');
    assert.equal(
      r.message,
      `The seedls server bundled with the extension (${file}) is built for darwin-arm64; this computer is linux-x64. ` +
        'Install the extension package built for this computer (seedls-linux-x64-<version>.vsix), or set seedls.path to a seedls binary.',
    );
    const arm = mk('opt/seedls-arm', 0o755, HEADERS['linux-arm64']);
    const s = so.resolveServer({ ...base, configuredPath: arm });
    assert.equal(s.reason, 'wrong-platform');
    assert.match(s.message, /named by seedls\.path .* is built for linux-arm64; this computer is linux-x64\. Point seedls\.path/);
  });
});

describe('resolveServer on Windows (paths in a map)', () => {
  const ext = 'C:\\Users\\Ann\\.vscode\\extensions\\seedls.seedls-0.1.0-win32-x64';
  const bundled = `${ext}\\server\\seedls.exe`;
  const head = HEADERS['win32-x64'];
  const base = { platform: 'win32', arch: 'x64', homeDir: 'C:\\Users\\Ann' };

  test('the bundled seedls.exe, with no chmod', () => {
    const probe = fakeProbe({ [bundled]: { exec: false, head } });
    const r = so.resolveServer({ ...base, env: {}, extensionPath: ext, probe });
    assert.deepEqual(r, { ok: true, source: 'bundled', path: bundled, notes: [] });
    assert.deepEqual(probe.chmods, []);
    assert.equal(so.bundledBinary(ext, 'win32'), bundled);
    assert.equal(so.bundledBinary('/ext', 'linux'), '/ext/server/seedls');
  });

  test('seedls.path: drive letters, forward slashes, no .exe, relative, ~\\, UNC', () => {
    const probe = fakeProbe({
      'C:\\tools\\seedls.exe': { head },
      'D:\\work\\bin\\seedls.exe': { head },
      'C:\\Users\\Ann\\bin\\seedls.exe': { head },
      '\\\\fs\\share\\seedls\\seedls.exe': { head },
      [bundled]: { head },
    });
    const at = (configuredPath, extra = {}) => so.resolveServer({ ...base, env: {}, extensionPath: ext, probe, configuredPath, ...extra });
    assert.equal(at('C:\\tools\\seedls.exe').path, 'C:\\tools\\seedls.exe');
    assert.equal(at('C:/tools/seedls.exe').path, 'C:\\tools\\seedls.exe');
    assert.equal(at('C:\\tools\\seedls').path, 'C:\\tools\\seedls.exe');
    assert.equal(at('..\\bin\\seedls.exe', { baseDir: 'D:\\work\\corpus' }).path, 'D:\\work\\bin\\seedls.exe');
    assert.equal(at('../bin/seedls', { baseDir: 'D:\\work\\corpus' }).path, 'D:\\work\\bin\\seedls.exe');
    assert.equal(at('~\\bin\\seedls.exe').path, 'C:\\Users\\Ann\\bin\\seedls.exe');
    assert.equal(at('~/bin/seedls.exe').path, 'C:\\Users\\Ann\\bin\\seedls.exe');
    assert.equal(at('\\\\fs\\share\\seedls\\seedls.exe').path, '\\\\fs\\share\\seedls\\seedls.exe');
    const missing = at('C:\\Program Files\\seedls\\seedls.exe');
    assert.equal(missing.ok, false);
    assert.equal(missing.reason, 'setting-missing');
    assert.ok(missing.message.includes('C:\\Program Files\\seedls\\seedls.exe'), missing.message);
    assert.ok(missing.message.includes('seedls.path'), missing.message);
  });

  test('PATH is "Path", split on ";", quoted entries, programs only (no .cmd)', () => {
    const probe = fakeProbe({
      'C:\\scripts\\seedls.cmd': {},
      'C:\\Program Files\\seedls\\seedls.exe': { head },
    });
    const env = { Path: 'C:\\scripts;"C:\\Program Files\\seedls";relative', PATHEXT: '.COM;.EXE;.BAT;.CMD' };
    const r = so.resolveServer({ ...base, env, extensionPath: 'C:\\neutral', probe });
    assert.equal(r.ok, true);
    assert.equal(r.source, 'path');
    assert.equal(r.path, 'C:\\Program Files\\seedls\\seedls.exe');
    const none = so.resolveServer({ ...base, env: { Path: 'C:\\scripts' }, extensionPath: 'C:\\neutral', probe });
    assert.equal(none.reason, 'not-found');
    assert.match(none.message, /seedls-win32-x64-<version>\.vsix/);
  });

  test('an arm64 Windows runs the x64 package (emulation); a Linux binary is refused', () => {
    const probe = fakeProbe({ [bundled]: { head } });
    assert.equal(so.resolveServer({ ...base, arch: 'arm64', env: {}, extensionPath: ext, probe }).ok, true);
    const linux = fakeProbe({ [bundled]: { head: HEADERS['linux-x64'] } });
    const r = so.resolveServer({ ...base, env: {}, extensionPath: ext, probe: linux });
    assert.equal(r.reason, 'wrong-platform');
    assert.match(r.message, /is built for linux-x64; this computer is win32-x64/);
  });
});

describe('executableFormat and runsHere', () => {
  test('reads ELF, Mach-O and PE headers', () => {
    for (const [target, head] of Object.entries(HEADERS)) {
      const [os, arch] = target.split('-');
      assert.deepEqual(so.executableFormat(head), { os, arch }, target);
    }
    assert.equal(so.executableFormat(Buffer.from('#!/bin/sh\n')), undefined);
    assert.equal(so.executableFormat(Buffer.alloc(0)), undefined);
    const fat = Buffer.alloc(16);
    fat.set([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]);
    assert.deepEqual(so.executableFormat(fat), { os: 'darwin', arch: 'universal' });
  });
  test('which formats run where', () => {
    const f = (t) => so.executableFormat(HEADERS[t]);
    assert.equal(so.runsHere(f('linux-x64'), 'linux', 'x64'), true);
    assert.equal(so.runsHere(f('linux-arm64'), 'linux', 'x64'), false);
    assert.equal(so.runsHere(f('linux-x64'), 'linux', 'arm64'), false);
    assert.equal(so.runsHere(f('darwin-x64'), 'darwin', 'arm64'), true, 'Rosetta');
    assert.equal(so.runsHere(f('darwin-arm64'), 'darwin', 'x64'), false);
    assert.equal(so.runsHere(f('win32-x64'), 'win32', 'arm64'), true);
    assert.equal(so.runsHere(f('win32-x64'), 'linux', 'x64'), false);
  });
  test('the binaries make cross builds, when present', { skip: !existsSync(new URL('../../../bin/linux-amd64/seedls', import.meta.url)) && 'no bin/<os>-<arch>: run make cross' }, () => {
    const dirs = { 'linux-x64': 'linux-amd64/seedls', 'linux-arm64': 'linux-arm64/seedls', 'darwin-x64': 'darwin-amd64/seedls', 'darwin-arm64': 'darwin-arm64/seedls', 'win32-x64': 'windows-amd64/seedls.exe', 'win32-arm64': 'windows-arm64/seedls.exe' };
    for (const [target, rel] of Object.entries(dirs)) {
      const file = new URL(`../../../bin/${rel}`, import.meta.url);
      if (!existsSync(file)) continue;
      const [os, arch] = target.split('-');
      assert.deepEqual(so.executableFormat(so.nodeFileProbe.header(fileURLToPath(file))), { os, arch }, rel);
    }
  });
});

describe('messages for a server that cannot start', () => {
  test('spawn errors', () => {
    const err = (code) => Object.assign(new Error(`spawn /x/seedls ${code}`), { code });
    assert.match(so.spawnFailureMessage(err('ENOEXEC'), 'bundled', '/x/seedls'), /^The seedls server bundled with the extension \(\/x\/seedls\) is not a program this computer can run \(ENOEXEC: built for another platform\?\)/);
    assert.match(so.spawnFailureMessage(err('UNKNOWN'), 'setting', 'C:\\x\\seedls.exe'), /named by seedls\.path \(C:\\x\\seedls\.exe\) is not a program this computer can run/);
    assert.match(so.spawnFailureMessage(err('EACCES'), 'path', '/usr/bin/seedls'), /found on PATH \(\/usr\/bin\/seedls\) may not be executed here \(EACCES/);
    assert.match(so.spawnFailureMessage(err('ENOENT'), 'bundled', '/x/seedls'), /could not be started \(ENOENT/);
    assert.match(so.spawnFailureMessage(new Error('odd'), 'bundled', '/x/seedls'), /could not be started \(odd\)/);
  });
  test('a server that stops right away', () => {
    const m = so.earlyExitMessage('bundled', '/x/seedls', { code: 3, signal: null }, 'starting\npanic: boom\n\n');
    assert.equal(
      m,
      'The seedls server (the server bundled with the extension: /x/seedls) exited with status 3 right after starting; it said: "panic: boom". ' +
        'It will not be restarted: fix the cause, then run "seedls: Restart Server". Its output is in the seedls output channel.',
    );
    assert.match(so.earlyExitMessage('path', '/y', { code: null, signal: 'SIGSEGV' }, ''), /\(seedls on PATH: \/y\) was killed by SIGSEGV right after starting\. It will not/);
    assert.match(so.earlyExitMessage('setting', '/y', undefined, 'x'.repeat(500)), /closed its connection right after starting; it said: "x{199}…"/);
  });
  test("Linux hands a file that is not a program to /bin/sh (what the format check is for)", { skip: process.platform !== 'linux' && 'Linux only' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seedls-noexec-'));
    try {
      const file = join(dir, 'seedls');
      writeFileSync(file, HEADERS['darwin-arm64']);
      chmodSync(file, 0o755);
      const { spawn } = await import('node:child_process');
      const result = await new Promise((resolve) => {
        const p = spawn(file, ['serve']);
        p.on('error', (e) => resolve({ error: e.code }));
        p.on('exit', (code) => resolve({ code }));
      });
      // glibc's execvp retries ENOEXEC through the shell: no spawn error, a quick exit.
      assert.ok(result.error === 'ENOEXEC' || (typeof result.code === 'number' && result.code !== 0), JSON.stringify(result));
      assert.equal(so.resolveServer({ platform: 'linux', arch: 'x64', configuredPath: file }).reason, 'wrong-platform');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RestartPolicy', () => {
  test('no restart when the server stops within ten seconds of its start', () => {
    const p = new so.RestartPolicy();
    assert.deepEqual(p.decide(1000, 1000 + 9_999), { restart: false, why: 'early' });
  });
  test('a crash after a good run restarts, twice in three minutes at most', () => {
    const p = new so.RestartPolicy();
    const t0 = 1_000_000;
    assert.deepEqual(p.decide(t0, t0 + 60_000), { restart: true, why: 'crash' });
    assert.deepEqual(p.decide(t0 + 60_000, t0 + 120_000), { restart: true, why: 'crash' });
    assert.deepEqual(p.decide(t0 + 120_000, t0 + 180_000), { restart: false, why: 'too-many' });
    // Past the window the count starts again.
    assert.deepEqual(p.decide(t0, t0 + 600_000), { restart: true, why: 'crash' });
  });
});

describe('summarizeIndexStatus', () => {
  test('one line from the server answer, with the version and where the binary came from', () => {
    assert.equal(
      summarizeIndexStatus(
        { roots: ['/w'], files: 123, entities: 100, documents: 20, citations: 9, diagnostics: 7, indexing: false },
        '0.3.1',
        'the server bundled with the extension',
      ),
      'seedls 0.3.1 (the server bundled with the extension): 100 entities, 20 documents, 9 citations, 123 files, 7 diagnostics, 1 root',
    );
    assert.equal(
      summarizeIndexStatus({ roots: [], files: 1, entities: 1, documents: 1, citations: 1, diagnostics: 1, indexing: true }, 'v2'),
      'seedls v2: 1 entity, 1 document, 1 citation, 1 file, 1 diagnostic, 0 roots (indexing…)',
    );
  });
  test('odd answers', () => {
    assert.equal(summarizeIndexStatus(null, '1'), 'seedls 1: index status null');
    assert.equal(summarizeIndexStatus(undefined), 'seedls (version unknown): index status no answer');
    assert.equal(summarizeIndexStatus({ other: 1 }, '1'), 'seedls 1: {"other":1}');
  });
});

describe('neighbourhood: the server answer and the picture', () => {
  const answer = {
    roots: ['claim:x'],
    depth: 1,
    nodes: [
      { key: 'claim:x', id: 'claim:x', kind: 'claim', status: 'active', title: 'X holds', uri: 'file:///w/x.txt', line: 2, root: true, resolved: true },
      { key: 'finding:y', id: 'finding:y', kind: 'finding', status: 'active', title: 'Y was measured', uri: 'file:///w/y.txt', line: 2, resolved: true },
      { key: 'hypothesis:h', id: 'hypothesis:h', kind: 'hypothesis', status: 'deprecated', title: 'H', uri: 'file:///w/h.txt', line: 2, resolved: true },
      { key: '?finding:some-slug', id: null, kind: 'finding', title: 'Some slug, named but absent', resolved: false },
      { key: 'paper:p', id: 'paper:p', kind: 'paper', status: 'active', title: 'P', uri: 'file:///w/p.txt', line: 2, resolved: true },
    ],
    edges: [
      { from: 'claim:x', to: 'finding:y', relations: ['supports', 'about'], group: 'Findings' },
      { from: 'claim:x', to: '?finding:some-slug', relations: [], group: 'Findings' },
      { from: 'hypothesis:h', to: 'claim:x', relations: ['refines'], group: 'Claims' },
      { from: 'finding:y', to: 'paper:p', relations: ['extracted_from'], group: 'Papers' },
      { from: 'claim:x', to: 'concept:nowhere', relations: [], group: 'Concepts' },
    ],
  };

  test('null is "no entity here"; a malformed answer is an error, not half a picture', () => {
    assert.equal(nb.parseNeighbourhood(null), null);
    assert.equal(nb.parseNeighbourhood(undefined), null);
    assert.throws(() => nb.parseNeighbourhood({ roots: [] }), /no "nodes" array/);
    assert.throws(() => nb.parseNeighbourhood({ nodes: [{ kind: 'claim' }], edges: [] }), /node 0 has no key/);
    assert.throws(() => nb.parseNeighbourhood({ nodes: [], edges: [{ from: 'a' }] }), /edge 0 has no from\/to/);
    assert.throws(() => nb.parseNeighbourhood('claim:x'), /not an object/);
  });

  test('nodes, levels (hops both ways from the roots), labels, edges by keys', () => {
    const n = nb.parseNeighbourhood(answer);
    const v = nb.toView(n);
    assert.equal(v.title, 'Neighbourhood of claim:x');
    assert.equal(v.heading, 'X holds');
    assert.equal(v.subheading, 'claim:x · claim · active · one hop of typed links');
    assert.deepEqual(v.roots, ['claim:x']);
    const byKey = Object.fromEntries(v.nodes.map((x) => [x.key, x]));
    assert.deepEqual(
      Object.fromEntries(v.nodes.map((x) => [x.key, x.level])),
      { 'claim:x': 0, 'finding:y': 1, 'hypothesis:h': 1, '?finding:some-slug': 1, 'paper:p': 2 },
    );
    assert.equal(byKey['claim:x'].root, true);
    assert.equal(byKey['claim:x'].label, 'claim\nX holds');
    assert.equal(byKey['hypothesis:h'].label, 'hypothesis · deprecated\nH', 'a status other than active is shown');
    assert.equal(byKey['?finding:some-slug'].resolved, false);
    assert.equal(byKey['?finding:some-slug'].description, 'finding · not in the workspace: Some slug, named but absent');
    assert.equal(byKey['finding:y'].description, 'finding · active · finding:y: Y was measured');
    assert.deepEqual(v.edges.map((e) => [e.from, e.to, e.label, e.group]), [
      ['claim:x', 'finding:y', 'supports, about', 'Findings'],
      ['claim:x', '?finding:some-slug', '', 'Findings'],
      ['hypothesis:h', 'claim:x', 'refines', 'Claims'],
      ['finding:y', 'paper:p', 'extracted_from', 'Papers'],
    ]);
    assert.deepEqual(v.problems, ['edge claim:x → concept:nowhere (Concepts) names a node that is not in the answer']);
  });

  test('a click leads to the file and its 0-based line, or says why not', () => {
    const n = nb.parseNeighbourhood(answer);
    assert.deepEqual(nb.nodeTarget(n, 'finding:y'), { uri: 'file:///w/y.txt', line: 2 });
    assert.match(nb.nodeTarget(n, '?finding:some-slug').reason, /"Some slug, named but absent" is named in an entity file but no file of the workspace defines it/);
    assert.match(nb.nodeTarget(n, 'nope').reason, /no node nope/);
  });

  test('the command arguments follow the contract', () => {
    assert.deepEqual(nb.neighbourhoodArguments('file:///w/d.md', 3, 14), [
      { textDocument: { uri: 'file:///w/d.md' }, position: { line: 3, character: 14 }, depth: 1 },
    ]);
    assert.equal(nb.NEIGHBOURHOOD_COMMAND, 'seedls.neighbourhood');
  });

  test('long titles are cut at a word', () => {
    assert.equal(nb.shorten('short'), 'short');
    const t = 'SOO fine-tuning significantly reduces deceptive behavior in LLMs while maintaining general task performance';
    const s = nb.shorten(t);
    assert.ok(s.length <= 60 && s.endsWith('…') && t.startsWith(s.slice(0, -1)), s);
    assert.equal(nb.shorten('x'.repeat(80), 10), 'xxxxxxxxx…');
  });

  test('the page loads nothing from the network and runs only its own script', () => {
    const html = nb.webviewHtml({ cspSource: 'vscode-webview://abc', scriptUri: 'vscode-webview://abc/dist/webview.js', styleUri: 'vscode-webview://abc/dist/webview.css', nonce: 'N0nce' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)[1];
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-N0nce'(;|$)/);
    assert.match(csp, /style-src vscode-webview:\/\/abc(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
    assert.equal((html.match(/<script /g) ?? []).length, 1);
    assert.match(html, /<script nonce="N0nce" src="vscode-webview:\/\/abc\/dist\/webview\.js"><\/script>/);
    assert.match(html, /<link id="__________cytoscape_stylesheet" rel="stylesheet" href="vscode-webview:\/\/abc\/dist\/webview\.css">/);
    assert.doesNotMatch(html, /style="/);
  });

  test('the webview bundle carries cytoscape and fetches nothing', () => {
    const bundle = readFileSync(new URL('../dist/webview.js', import.meta.url), 'utf8');
    assert.match(bundle, /cytoscape/);
    assert.doesNotMatch(bundle, /\bfetch\(|XMLHttpRequest\(|importScripts\(/);
    assert.ok(existsSync(new URL('../dist/cytoscape.LICENSE', import.meta.url)));
  });
});

describe('package.json', () => {
  const props = packageJson.contributes.configuration.properties;
  test('declares every server setting', () => {
    assert.deepEqual(Object.keys(props).sort(), [
      'seedls.cacheDirectory',
      'seedls.completion.limit',
      'seedls.diagnostics.severity',
      'seedls.files.exclude',
      'seedls.files.include',
      'seedls.files.maxSizeMiB',
      'seedls.inlayHints.enable',
      'seedls.logLevel',
      'seedls.newEntityFolder',
      'seedls.path',
      'seedls.trace.server',
    ]);
    for (const [key, schema] of Object.entries(props)) {
      assert.ok(schema.type, `${key} has a type`);
      assert.ok('default' in schema, `${key} has a default`);
      assert.ok(schema.description || schema.markdownDescription, `${key} has a description`);
    }
    assert.deepEqual(props['seedls.trace.server'].enum, ['off', 'messages', 'verbose']);
    assert.deepEqual(props['seedls.logLevel'].enum, ['debug', 'info', 'warn', 'error']);
    assert.equal(props['seedls.completion.limit'].type, 'integer');
  });
  test('declares every diagnostic code with the severity enum', () => {
    const severity = props['seedls.diagnostics.severity'];
    assert.deepEqual(Object.keys(severity.properties).sort(), [...CODES].sort());
    for (const code of CODES) {
      assert.deepEqual(severity.properties[code].enum, ['error', 'warning', 'information', 'hint', 'off'], code);
      assert.ok(severity.properties[code].description, code);
    }
  });
  test('commands, activation and entry point', () => {
    const commands = Object.fromEntries(packageJson.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
    assert.deepEqual(commands, {
      'seedls.restartServer': 'seedls: Restart Server',
      'seedls.showIndexStatus': 'seedls: Show Index Status',
      'seedls.showNeighbourhood': 'seedls: Show Neighbourhood',
    });
    assert.deepEqual(packageJson.activationEvents, [
      'onLanguage:markdown',
      'onLanguage:latex',
      'onLanguage:tex',
      'onLanguage:plaintext',
    ]);
    assert.equal(packageJson.main, './dist/extension.js');
    assert.ok(existsSync(new URL('../dist/extension.js', import.meta.url)), 'dist/extension.js is built');
    const bundle = readFileSync(new URL('../dist/extension.js', import.meta.url), 'utf8');
    assert.match(bundle, /require\("vscode"\)/, 'vscode stays external');
    assert.equal(so.INDEX_STATUS_COMMAND, 'seedls.indexStatus');
  });
  test('workspace/configuration answers like VS Code', () => {
    const config = seedlsConfiguration();
    assert.equal(configurationItem(config, 'seedls'), config);
    assert.equal(configurationItem(config, 'seedls.completion.limit'), 50);
    assert.deepEqual(configurationItem(config, 'seedls.files').exclude, ['**/.git/**', '**/node_modules/**']);
    assert.equal(configurationItem(config, 'seedls.nope'), null);
    assert.equal(configurationItem(config, 'editor'), null);
    assert.deepEqual(configurationItem(config, undefined), { seedls: config });
  });
});

describe('test LSP framing', () => {
  test('reads messages split anywhere, with multi-byte text', () => {
    const messages = [
      { jsonrpc: '2.0', id: 1, result: { contents: { kind: 'markdown', value: 'Ünïcödé — 𝛼 claim:x' } } },
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'hi' } },
    ];
    const bytes = Buffer.concat(messages.map(encodeMessage));
    for (const size of [1, 3, 7, bytes.length]) {
      const got = [];
      const reader = new MessageReader((m) => got.push(m));
      for (let i = 0; i < bytes.length; i += size) reader.push(bytes.subarray(i, i + size));
      assert.deepEqual(got, messages, `chunks of ${size}`);
    }
  });
  test('accepts other headers and any header case', () => {
    const body = Buffer.from('{"jsonrpc":"2.0","id":2,"result":null}');
    const got = [];
    new MessageReader((m) => got.push(m)).push(
      Buffer.concat([
        Buffer.from(`content-length: ${body.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n`),
        body,
      ]),
    );
    assert.deepEqual(got, [{ jsonrpc: '2.0', id: 2, result: null }]);
  });
  test('positions are zero-based lines and UTF-16 columns', () => {
    const text = 'a\r\nb\rc\n😀é claim:x';
    assert.deepEqual(positionAt(text, 0), { line: 0, character: 0 });
    assert.deepEqual(positionAt(text, text.indexOf('b')), { line: 1, character: 0 });
    assert.deepEqual(positionAt(text, text.indexOf('c')), { line: 2, character: 0 });
    assert.deepEqual(positionAt(text, text.indexOf('claim:')), { line: 3, character: 4 });
  });
  test('hover text of every contents form', () => {
    assert.equal(hoverText({ contents: { kind: 'markdown', value: 'x' } }), 'x');
    assert.equal(hoverText({ contents: 'y' }), 'y');
    assert.equal(hoverText({ contents: ['a', { language: 'md', value: 'b' }] }), 'a\nb');
    assert.equal(hoverText(null), '');
  });
});
