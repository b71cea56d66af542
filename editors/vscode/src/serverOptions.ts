// Which seedls binary the extension starts, and how: the command, its
// arguments, the initializationOptions, and the words for what went wrong.
// No `vscode` import here, so that plain Node tests (test/unit.test.mjs,
// test/server.test.mjs) exercise exactly what the extension runs.
//
// The order: `seedls.path` when set (and nothing else if it is wrong), else
// the binary bundled in the extension's `server/` folder (the per-platform
// packages carry one), else `seedls` on PATH.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The `seedls` configuration section, as VS Code gives it: nested objects. */
export interface SeedlsConfig {
  path?: string;
  trace?: { server?: string };
  [key: string]: unknown;
}

/** The arguments of the server: `seedls serve`. */
export const SERVER_ARGS = ['serve'];

/** The binary's name on PATH. */
export const DEFAULT_COMMAND = 'seedls';

/** The executeCommand the "Show Index Status" command sends. */
export const INDEX_STATUS_COMMAND = 'seedls.indexStatus';

/** Settings that concern the client only and are not sent as initializationOptions. */
const CLIENT_ONLY_KEYS = ['path', 'trace'];

/**
 * The initializationOptions: the whole `seedls` configuration (a plain JSON
 * copy, since VS Code's WorkspaceConfiguration also carries methods) except the
 * client-only `path` and `trace`.
 */
export function initializationOptions(config: SeedlsConfig | undefined): Record<string, unknown> {
  const plain = (toPlainJSON(config ?? {}) ?? {}) as Record<string, unknown>;
  for (const key of CLIENT_ONLY_KEYS) delete plain[key];
  return plain;
}

/** A deep copy with only JSON data (functions and undefined dropped). */
export function toPlainJSON(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** The bundled binary's place, relative to the extension's folder. */
export function bundledBinary(extensionPath: string, platform: NodeJS.Platform = process.platform): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return p.join(extensionPath, 'server', platform === 'win32' ? 'seedls.exe' : 'seedls');
}

/** What resolution needs to know of the file system; the default is node:fs. */
export interface FileProbe {
  /** 'file', 'other' (a folder, a device …) or 'missing'. */
  kind(file: string): 'file' | 'other' | 'missing';
  /** Whether the file may be executed (always true on Windows). */
  executable(file: string): boolean;
  /** Adds the execute bits where the read bits are; throws when it cannot. */
  makeExecutable(file: string): void;
  /** The file's first bytes (up to 4 KiB), or undefined when it cannot be read. */
  header(file: string): Uint8Array | undefined;
}

export const nodeFileProbe: FileProbe = {
  kind(file) {
    try {
      return fs.statSync(file).isFile() ? 'file' : 'other';
    } catch {
      return 'missing';
    }
  },
  executable(file) {
    if (process.platform === 'win32') return true;
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  makeExecutable(file) {
    const mode = fs.statSync(file).mode & 0o7777;
    // r-- becomes r-x for whoever may read it.
    fs.chmodSync(file, mode | ((mode & 0o444) >> 2) | 0o100);
  },
  header(file) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(4096);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      return buf.subarray(0, n);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },
};

/** The system and processor a program file is built for, in Node's words. */
export interface ExecutableFormat {
  os: 'linux' | 'darwin' | 'win32';
  /** x64, arm64, ia32, arm, 'universal' (a macOS fat binary) or 'unknown'. */
  arch: string;
}

/**
 * Reads an ELF, Mach-O or PE header. Undefined for anything else (a shell
 * script, a text file): such a file is not judged here. Go's static binaries
 * are ELF on Linux, Mach-O on macOS and PE on Windows.
 */
export function executableFormat(head: Uint8Array): ExecutableFormat | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 20 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46) {
    const machine = b[5] === 2 ? b.readUInt16BE(18) : b.readUInt16LE(18);
    const arch = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm' }[machine] ?? 'unknown';
    return { os: 'linux', arch };
  }
  if (b.length >= 8 && b[0] === 0xcf && b[1] === 0xfa && b[2] === 0xed && b[3] === 0xfe) {
    const cpu = b.readUInt32LE(4);
    const arch = cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : 'unknown';
    return { os: 'darwin', arch };
  }
  if (b.length >= 8 && b[0] === 0xca && b[1] === 0xfe && b[2] === 0xba && b[3] === 0xbe && b.readUInt32BE(4) < 20) {
    return { os: 'darwin', arch: 'universal' }; // (a Java class file has a larger second word)
  }
  if (b.length >= 64 && b[0] === 0x4d && b[1] === 0x5a) {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 6 <= b.length && b.readUInt32LE(pe) === 0x00004550) {
      const machine = b.readUInt16LE(pe + 4);
      const arch = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32', 0x1c4: 'arm' }[machine] ?? 'unknown';
      return { os: 'win32', arch };
    }
    return { os: 'win32', arch: 'unknown' };
  }
  return undefined;
}

/**
 * Whether this computer runs a program of that format: its own system and
 * processor, or x64 on arm64 macOS (Rosetta) and Windows (emulation).
 */
export function runsHere(format: ExecutableFormat, platform: string, arch: string): boolean {
  if (format.os !== platform) return false;
  if (format.arch === arch || format.arch === 'universal' || format.arch === 'unknown') return true;
  return arch === 'arm64' && format.arch === 'x64' && (platform === 'darwin' || platform === 'win32');
}

export type ServerSource = 'setting' | 'bundled' | 'path';

export interface ResolveOptions {
  /** The seedls.path setting; empty or blank means unset. */
  configuredPath?: string;
  /** The extension's folder, where server/seedls[.exe] may be. */
  extensionPath?: string;
  /** Folder that a relative seedls.path is taken from: the first workspace folder. */
  baseDir?: string;
  /** Environment to read PATH and PATHEXT from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default process.platform. */
  platform?: NodeJS.Platform;
  /** Default process.arch; only named in the not-found message. */
  arch?: string;
  /** Default os.homedir(). */
  homeDir?: string;
  /** Default nodeFileProbe. */
  probe?: FileProbe;
}

export type Resolution =
  | {
      ok: true;
      source: ServerSource;
      /** The absolute path of the binary to start. */
      path: string;
      /** Lines for the output channel: what was looked at and done. */
      notes: string[];
    }
  | {
      ok: false;
      /** What is wrong, for the error message. */
      reason:
        | 'setting-missing'
        | 'setting-not-a-file'
        | 'setting-not-executable'
        | 'bundled-not-executable'
        | 'wrong-platform'
        | 'not-found';
      message: string;
      notes: string[];
    };

/** How the output channel and the status name where a binary came from. */
export function describeSource(source: ServerSource): string {
  switch (source) {
    case 'setting':
      return 'the seedls.path setting';
    case 'bundled':
      return 'the server bundled with the extension';
    case 'path':
      return 'seedls on PATH';
  }
}

/**
 * Decides which binary to start. A set `seedls.path` is the only candidate:
 * when it names nothing runnable the answer says so and nothing else is
 * started. Else the bundled binary, made executable once when an unzip lost
 * its execute bit (POSIX). Else `seedls` on PATH.
 */
export function resolveServer(opts: ResolveOptions): Resolution {
  const resolution = locateServer(opts);
  if (!resolution.ok) return resolution;
  // Another platform's binary would not start, or (Linux) would be handed
  // to /bin/sh by execvp and fail with a screen of noise: say what it is.
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  const head = (opts.probe ?? nodeFileProbe).header(resolution.path);
  const format = head ? executableFormat(head) : undefined;
  if (format && !runsHere(format, platform, arch)) {
    const what =
      resolution.source === 'bundled'
        ? `The seedls server bundled with the extension (${resolution.path})`
        : resolution.source === 'setting'
          ? `The seedls server named by seedls.path (${resolution.path})`
          : `The seedls server found on PATH (${resolution.path})`;
    const advice =
      resolution.source === 'bundled'
        ? `Install the extension package built for this computer (seedls-${platform}-${arch}-<version>.vsix), or set seedls.path to a seedls binary.`
        : resolution.source === 'setting'
          ? 'Point seedls.path at a seedls binary built for this computer, then run "seedls: Restart Server".'
          : 'Replace it with a seedls binary built for this computer, or set seedls.path.';
    const message = `${what} is built for ${format.os}-${format.arch}; this computer is ${platform}-${arch}. ${advice}`;
    return { ok: false, reason: 'wrong-platform', message, notes: resolution.notes };
  }
  return resolution;
}

function locateServer(opts: ResolveOptions): Resolution {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const probe = opts.probe ?? nodeFileProbe;
  const home = opts.homeDir ?? os.homedir();
  const p = platform === 'win32' ? path.win32 : path.posix;
  const notes: string[] = [];

  const configured = typeof opts.configuredPath === 'string' ? opts.configuredPath.trim() : '';
  if (configured !== '') {
    return resolveSetting(configured, { platform, env, probe, home, baseDir: opts.baseDir, notes });
  }

  if (opts.extensionPath) {
    const bundled = bundledBinary(opts.extensionPath, platform);
    const kind = probe.kind(bundled);
    if (kind === 'file') {
      if (platform !== 'win32' && !probe.executable(bundled)) {
        try {
          probe.makeExecutable(bundled);
          notes.push(`The bundled server ${bundled} had no execute permission; it was added (chmod +x).`);
        } catch (err) {
          const message =
            `The seedls server bundled with the extension, ${bundled}, cannot be run: it has no execute ` +
            `permission and adding it failed (${errorText(err)}). Reinstall the extension, or set seedls.path ` +
            'to a seedls binary.';
          return { ok: false, reason: 'bundled-not-executable', message, notes };
        }
        if (!probe.executable(bundled)) {
          const message =
            `The seedls server bundled with the extension, ${bundled}, cannot be run: it still has no ` +
            'execute permission after chmod +x. Reinstall the extension, or set seedls.path to a seedls binary.';
          return { ok: false, reason: 'bundled-not-executable', message, notes };
        }
      }
      return { ok: true, source: 'bundled', path: bundled, notes };
    }
    notes.push(`No server bundled with the extension (no ${bundled}: this is the platform-neutral package); looking for seedls on PATH.`);
  }

  const found = searchPath(DEFAULT_COMMAND, env, platform, probe, p);
  if (found) return { ok: true, source: 'path', path: found, notes };
  const target = `${platform}-${opts.arch ?? process.arch}`;
  const message =
    'The seedls language server was not found: this package of the extension has no server inside, ' +
    'seedls.path is not set and seedls is not on PATH. Install the package built for this computer ' +
    `(seedls-${target}-<version>.vsix), or set seedls.path to a seedls binary (in a clone of the repository ` +
    '"make build" builds bin/seedls), then run "seedls: Restart Server".';
  notes.push(`seedls is not on PATH (${pathVariable(env) || 'PATH is empty'}).`);
  return { ok: false, reason: 'not-found', message, notes };
}

function resolveSetting(
  configured: string,
  o: {
    platform: NodeJS.Platform;
    env: NodeJS.ProcessEnv;
    probe: FileProbe;
    home: string;
    baseDir?: string;
    notes: string[];
  },
): Resolution {
  const { platform, env, probe, home, notes } = o;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const setting = `seedls.path is set to "${configured}"`;
  let cmd = configured;
  if (cmd === '~' || cmd.startsWith('~/') || (platform === 'win32' && cmd.startsWith('~\\'))) {
    cmd = p.join(home, cmd.slice(1));
  }
  const hasSeparator = cmd.includes('/') || (platform === 'win32' && cmd.includes('\\'));

  let file: string;
  if (p.isAbsolute(cmd)) {
    file = p.normalize(cmd);
  } else if (hasSeparator) {
    if (!o.baseDir) {
      const message = `${setting}, a relative path, but no workspace folder is open to take it from. Use an absolute path.`;
      return { ok: false, reason: 'setting-missing', message, notes };
    }
    file = p.resolve(o.baseDir, cmd);
  } else {
    // A bare name: a program on PATH.
    const found = searchPath(cmd, env, platform, probe, p);
    if (found) return { ok: true, source: 'setting', path: found, notes };
    const message = `${setting}, but no program of that name is on PATH. Correct or clear the setting, then run "seedls: Restart Server".`;
    return { ok: false, reason: 'setting-missing', message, notes };
  }

  const candidates = withWindowsExtensions(file, platform, env, p);
  for (const c of candidates) {
    const kind = probe.kind(c);
    if (kind === 'missing') continue;
    if (kind === 'other') {
      const message = `${setting}, but ${c} is not a file (a folder?). Point it at the seedls binary itself, then run "seedls: Restart Server".`;
      return { ok: false, reason: 'setting-not-a-file', message, notes };
    }
    if (platform !== 'win32' && !probe.executable(c)) {
      const message = `${setting}, but ${c} is not executable (chmod +x it), then run "seedls: Restart Server".`;
      return { ok: false, reason: 'setting-not-executable', message, notes };
    }
    return { ok: true, source: 'setting', path: c, notes };
  }
  const message = `${setting}, but ${file} does not exist. Correct or clear the setting, then run "seedls: Restart Server".`;
  return { ok: false, reason: 'setting-missing', message, notes };
}

function pathVariable(env: NodeJS.ProcessEnv): string {
  // Windows keeps "Path"; Node's process.env is case-insensitive there, a plain object is not.
  return env.PATH ?? env.Path ?? env.path ?? '';
}

function searchPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  probe: FileProbe,
  p: typeof path.posix,
): string | undefined {
  const sep = platform === 'win32' ? ';' : ':';
  const dirs = pathVariable(env)
    .split(sep)
    .map((d) => d.trim().replace(/^"(.*)"$/, '$1'))
    .filter((d) => d !== '');
  for (const dir of dirs) {
    if (!p.isAbsolute(dir)) continue; // a relative PATH entry would depend on the editor's cwd
    for (const c of withWindowsExtensions(p.join(dir, name), platform, env, p)) {
      if (probe.kind(c) !== 'file') continue;
      if (platform !== 'win32' && !probe.executable(c)) continue;
      return c;
    }
  }
  return undefined;
}

/** On Windows, `file` with each PATHEXT extension first when it has none; else just `file`. */
function withWindowsExtensions(file: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv, p: typeof path.posix): string[] {
  if (platform !== 'win32' || p.extname(file) !== '') return [file];
  const exts = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.startsWith('.'));
  // Only programs: a .bat or .cmd would need a shell to start.
  const programs = exts.filter((e) => e === '.exe' || e === '.com');
  return [...programs.map((e) => file + e), file];
}

function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) return String((err as Error).message);
  return String(err);
}

/** A spawn error's code, as Node gives it (ENOENT, EACCES, ENOEXEC …). */
function errorCode(err: unknown): string {
  return err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '';
}

/**
 * The message for a binary that could not be started at all. Exec format
 * errors are what another platform's binary gives: ENOEXEC on Linux and
 * macOS, EBADARCH on some macOS versions, UNKNOWN (or EFTYPE) from libuv on
 * Windows.
 */
export function spawnFailureMessage(err: unknown, source: ServerSource, file: string): string {
  const code = errorCode(err);
  const what =
    source === 'bundled'
      ? `The seedls server bundled with the extension (${file})`
      : source === 'setting'
        ? `The seedls server named by seedls.path (${file})`
        : `The seedls server found on PATH (${file})`;
  const advice =
    source === 'bundled'
      ? 'Install the extension package built for this platform, or set seedls.path to a seedls binary.'
      : source === 'setting'
        ? 'Point seedls.path at a seedls binary built for this platform.'
        : 'Replace it with a seedls binary built for this platform, or set seedls.path.';
  switch (code) {
    case 'ENOEXEC':
    case 'EBADARCH':
    case 'EFTYPE':
    case 'UNKNOWN':
      return `${what} is not a program this computer can run (${code}: built for another platform?). ${advice}`;
    case 'EACCES':
    case 'EPERM':
      return `${what} may not be executed here (${code}: no execute permission, or a file system mounted noexec). ${advice}`;
    case 'ENOENT':
      return `${what} could not be started (ENOENT: it, or the program that should run it, does not exist). ${advice}`;
    default:
      return `${what} could not be started (${code ? code + ': ' : ''}${errorText(err)}). ${advice}`;
  }
}

/** The message for a server that exited before it could be used, or crashed right after starting. */
export function earlyExitMessage(
  source: ServerSource,
  file: string,
  exit: { code: number | null; signal: string | null } | undefined,
  stderrTail: string,
): string {
  const how =
    exit === undefined
      ? 'closed its connection'
      : exit.signal
        ? `was killed by ${exit.signal}`
        : `exited with status ${exit.code}`;
  const last = lastLine(stderrTail);
  return (
    `The seedls server (${describeSource(source)}: ${file}) ${how} right after starting` +
    (last ? `; it said: "${last}"` : '') +
    '. It will not be restarted: fix the cause, then run "seedls: Restart Server". Its output is in the seedls output channel.'
  );
}

function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line = lines.at(-1) ?? '';
  return line.length > 200 ? line.slice(0, 199) + '…' : line;
}

/**
 * When the connection to a running server closes: restart it or not.
 * A server that stops within `earlyMs` of its start is broken and is not
 * restarted (one message, no loop of restarts); one that ran longer is
 * restarted, at most `maxRestarts` times in `windowMs`, then left stopped.
 */
export class RestartPolicy {
  private readonly crashes: number[] = [];

  constructor(
    readonly earlyMs = 10_000,
    readonly maxRestarts = 2,
    readonly windowMs = 3 * 60_000,
  ) {}

  decide(startedAt: number, now: number): { restart: boolean; why: 'early' | 'too-many' | 'crash' } {
    if (now - startedAt < this.earlyMs) return { restart: false, why: 'early' };
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0] > this.windowMs) this.crashes.shift();
    if (this.crashes.length > this.maxRestarts) return { restart: false, why: 'too-many' };
    return { restart: true, why: 'crash' };
  }
}
