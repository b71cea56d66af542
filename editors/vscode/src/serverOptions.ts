// How the extension starts the seedls server: the command, its arguments and
// the initializationOptions. No `vscode` import here, so that the Node test
// (test/server.test.mjs) can start the server exactly as the extension does.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The `seedls` configuration section, as VS Code gives it: nested objects. */
export interface SeedlsConfig {
  path?: string;
  trace?: { server?: string };
  [key: string]: unknown;
}

export interface ServerCommand {
  /** `seedls.path` as set, or "seedls" to look it up on PATH. */
  command: string;
  args: string[];
}

/** The default binary name, looked up on PATH. */
export const DEFAULT_COMMAND = 'seedls';

/** The executeCommand the "Show Index Status" command sends. */
export const INDEX_STATUS_COMMAND = 'seedls.indexStatus';

/** Settings that concern the client only and are not sent as initializationOptions. */
const CLIENT_ONLY_KEYS = ['path', 'trace'];

/** The command line of the server: `<seedls.path or "seedls"> serve`. */
export function serverCommand(config: SeedlsConfig | undefined): ServerCommand {
  const configured = typeof config?.path === 'string' ? config.path.trim() : '';
  return { command: configured || DEFAULT_COMMAND, args: ['serve'] };
}

/**
 * The initializationOptions: the whole `seedls` configuration (a plain JSON
 * copy, since VS Code's WorkspaceConfiguration also carries methods) except the
 * client-only `path` and `trace`.
 */
export function initializationOptions(config: SeedlsConfig | undefined): Record<string, unknown> {
  const plain = toPlainJSON(config ?? {}) as Record<string, unknown>;
  for (const key of CLIENT_ONLY_KEYS) delete plain[key];
  return plain;
}

/** A deep copy with only JSON data (functions and undefined dropped). */
export function toPlainJSON(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

export interface FindOptions {
  /** Environment to read PATH, PATHEXT, GOBIN and GOPATH from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Folder that a relative path (one with a slash) is taken from: the first workspace folder. */
  baseDir?: string;
  /** Default process.platform. */
  platform?: NodeJS.Platform;
  /** Default os.homedir(). */
  homeDir?: string;
}

/**
 * Finds the server binary for `command` and returns its absolute path, or
 * undefined when there is none. An absolute path must exist; a relative path
 * containing a slash is taken from `baseDir`; a bare name is searched on PATH
 * and then in Go's install folders ($GOBIN, each $GOPATH/bin, ~/go/bin), where
 * `go install` puts it but where an editor started from a desktop menu often
 * has no PATH entry.
 */
export function findServerBinary(command: string, opts: FindOptions = {}): string | undefined {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.homeDir ?? os.homedir();
  const p = platform === 'win32' ? path.win32 : path.posix;

  let cmd = command.trim();
  if (cmd === '') return undefined;
  if (cmd === '~' || cmd.startsWith('~/') || (platform === 'win32' && cmd.startsWith('~\\'))) {
    cmd = p.join(home, cmd.slice(1));
  }

  if (p.isAbsolute(cmd)) return existingFile(cmd, platform);
  const hasSeparator = cmd.includes('/') || (platform === 'win32' && cmd.includes('\\'));
  if (hasSeparator) {
    return opts.baseDir ? existingFile(p.resolve(opts.baseDir, cmd), platform) : undefined;
  }

  const dirs = splitPathList(env.PATH ?? env.Path ?? '', platform);
  if (env.GOBIN) dirs.push(env.GOBIN);
  for (const gopath of splitPathList(env.GOPATH ?? '', platform)) dirs.push(p.join(gopath, 'bin'));
  dirs.push(p.join(home, 'go', 'bin'));
  for (const dir of dirs) {
    if (!p.isAbsolute(dir)) continue;
    const found = existingFile(p.join(dir, cmd), platform, env);
    if (found) return found;
  }
  return undefined;
}

function splitPathList(list: string, platform: NodeJS.Platform): string[] {
  const sep = platform === 'win32' ? ';' : ':';
  return list.split(sep).map((d) => d.trim().replace(/^"(.*)"$/, '$1')).filter((d) => d !== '');
}

/** `file` itself, or on Windows `file` plus an executable extension, when it is a file we can run. */
function existingFile(file: string, platform: NodeJS.Platform, env?: NodeJS.ProcessEnv): string | undefined {
  const candidates = [file];
  if (platform === 'win32' && path.win32.extname(file) === '') {
    const exts = (env?.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter((e) => e !== '');
    candidates.unshift(...exts.map((e) => file + e.toLowerCase()));
  }
  for (const c of candidates) {
    try {
      if (!fs.statSync(c).isFile()) continue;
      if (platform !== 'win32') fs.accessSync(c, fs.constants.X_OK);
      return c;
    } catch {
      // missing or not executable: try the next one
    }
  }
  return undefined;
}

/** The error shown when the binary cannot be found: how to install it. */
export function notFoundMessage(command: string): string {
  const where =
    command === DEFAULT_COMMAND
      ? "The seedls language server was not found on PATH (nor in Go's install folder)."
      : `The seedls language server was not found at "${command}" (setting seedls.path).`;
  return (
    `${where} Install it with "go install github.com/seedls/seedls/cmd/seedls@latest", ` +
    'or run "make build" in the seedls repository and set seedls.path to the built bin/seedls; ' +
    'then run "seedls: Restart Server".'
  );
}
