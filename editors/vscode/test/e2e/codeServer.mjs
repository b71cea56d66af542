// A real VS Code for the test: code-server (npm, on Node 24 from npm) in
// folders of its own under one temporary root, on loopback only, without
// authentication, and Debian's Chromium driven by playwright-core.
//
// Nothing here touches the user's home: code-server's HOME, XDG folders,
// user data, extensions and config are all under the root. Everything that
// is started is killed by stop(), also when the test fails.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export const NODE24 = process.env.SEEDLS_E2E_NODE || join(here, 'node24', 'node_modules', 'node', 'bin', 'node');
export const CODE_SERVER = join(here, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const PLAYWRIGHT = join(here, 'node_modules', 'playwright-core');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** What is missing to run the test, in words; empty when all is there. */
export function missingTools() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM}: apt-get install chromium)`);
  if (!existsSync(NODE24)) missing.push(`Node 24 from npm (${NODE24}: make vscode-e2e-deps)`);
  if (!existsSync(CODE_SERVER)) missing.push(`code-server from npm (${CODE_SERVER}: make vscode-e2e-deps)`);
  if (!existsSync(PLAYWRIGHT)) missing.push(`playwright-core (${PLAYWRIGHT}: make vscode-e2e-deps)`);
  return missing;
}

/** User settings that keep the workbench quiet and leave the screen to the editor. */
export const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
};

export class CodeServer {
  /** @param {string} root an empty temporary folder */
  constructor(root) {
    this.root = root;
    this.home = join(root, 'home');
    this.data = join(root, 'data');
    this.exts = join(root, 'exts');
    this.config = join(root, 'code-server.yaml');
    this.settingsFile = join(this.data, 'User', 'settings.json');
    this.machineSettingsFile = join(this.data, 'Machine', 'settings.json');
    this.log = '';
    for (const d of [this.home, join(this.data, 'User'), this.exts]) mkdirSync(d, { recursive: true });
    writeFileSync(this.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
    this.writeSettings({});
  }

  /** The environment of code-server and so of the extension host: a fresh profile. */
  env() {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k.startsWith('npm_')) delete env[k];
    return {
      ...env,
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      XDG_CACHE_HOME: join(this.home, '.cache'),
      XDG_DATA_HOME: join(this.home, '.local', 'share'),
      SHELL: '/bin/bash',
    };
  }

  /** User settings: the quiet ones plus `extra`. */
  writeSettings(extra) {
    writeFileSync(this.settingsFile, JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2) + '\n');
  }

  folderArgs() {
    return ['--config', this.config, '--user-data-dir', this.data, '--extensions-dir', this.exts];
  }

  installExtension(vsix) {
    return execFileSync(NODE24, [CODE_SERVER, ...this.folderArgs(), '--install-extension', vsix], {
      env: this.env(),
      encoding: 'utf8',
      timeout: 120_000,
    });
  }

  /** Starts code-server on 127.0.0.1 (a free port) and waits for /healthz. */
  async start(workspace) {
    const args = [
      CODE_SERVER,
      ...this.folderArgs(),
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ];
    // Its own process group, so that stop() ends the extension host and
    // everything it started with one signal.
    this.proc = spawn(NODE24, args, { env: this.env(), cwd: this.root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (chunk) => {
      this.log += chunk.toString();
      if (this.log.length > 200_000) this.log = this.log.slice(-100_000);
    };
    this.proc.stdout.on('data', onData);
    this.proc.stderr.on('data', onData);
    const deadline = Date.now() + 60_000;
    while (!this.url) {
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(this.log);
      if (m) this.url = m[1];
      else if (this.proc.exitCode !== null) throw new Error(`code-server exited (${this.proc.exitCode}):\n${this.log}`);
      else if (Date.now() > deadline) throw new Error(`code-server did not listen within 60 s:\n${this.log}`);
      else await sleep(100);
    }
    for (;;) {
      try {
        const r = await fetch(`${this.url}/healthz`);
        if (r.ok) break;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error(`code-server ${this.url}/healthz did not answer:\n${this.log}`);
      await sleep(200);
    }
    return this.url;
  }

  /** Ends code-server's process group, then any process still running a program from the root. */
  async stop() {
    const pid = this.proc?.pid;
    if (pid && this.proc.exitCode === null) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // gone
      }
      const deadline = Date.now() + 5000;
      while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
      if (groupAlive(pid)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    for (const p of processesUnder(this.root)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }

  /** The text of the seedls output channel, from the newest extension host's log of it. */
  outputChannel(name = 'seedls') {
    const files = [];
    const walk = (dir) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (new RegExp(`^\\d+-${name}\\.log$`).test(e.name)) files.push(p);
      }
    };
    const logs = join(this.data, 'logs');
    if (existsSync(logs)) walk(logs);
    files.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
    return files.length ? readFileSync(files.at(-1), 'utf8') : '';
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes whose program file (/proc/PID/exe) lies under `dir`. */
export function processesUnder(dir) {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let exe;
    try {
      exe = readlinkSync(`/proc/${name}/exe`);
    } catch {
      continue;
    }
    if (exe.startsWith(dir + '/')) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        // gone
      }
      found.push({ pid: Number(name), exe, cmdline });
    }
  }
  return found;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Chromium flags for a closed network: no background connections, no sandbox as root. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
