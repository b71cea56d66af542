// The seedls extension in a real VS Code: the packaged linux-x64 .vsix is
// installed into code-server, which Debian's Chromium shows, and the test
// does what a writer does on a copy of seeds/, asserting on what is on
// screen. No seedls is on PATH and seedls.path is not set: the server that
// runs must be the one inside the .vsix (checked in /proc and in the
// seedls output channel).
//
// Then bad input: a bundled binary without its execute bit, one for another
// platform, one that dies at start, and a seedls.path naming nothing; each
// must give one clear message (or, for the execute bit, just work).
//
// Needs: Chromium (/usr/bin/chromium), and `make vscode-e2e-deps` (Node 24,
// code-server and playwright-core from npm, into this folder), and the
// .vsix (`make vscode`). Without them the test is skipped with a note, or
// fails when CI is set. Screenshots go to $SEEDLS_E2E_SHOTS, else a new
// folder under the system's temporary folder; the test prints its path.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS, CodeServer, missingTools, processesUnder, sleep } from './codeServer.mjs';
import { Workbench } from './workbench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const extensionDir = resolve(here, '../..');
const repo = resolve(extensionDir, '../..');
const pkg = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
const vsix = resolve(process.env.SEEDLS_VSIX || join(extensionDir, `seedls-linux-x64-${pkg.version}.vsix`));
const neutralVsix = join(extensionDir, `seedls-${pkg.version}.vsix`);
const otherPlatformBinary = join(repo, 'bin', 'darwin-arm64', 'seedls');
const linuxBinary = join(repo, 'bin', 'linux-amd64', 'seedls');

const missing = missingTools();
if (!existsSync(vsix)) missing.push(`the package ${vsix} (make vscode)`);
if (!existsSync(neutralVsix)) missing.push(`the platform-neutral package ${neutralVsix} (make vscode)`);
for (const b of [otherPlatformBinary, linuxBinary]) if (!existsSync(b)) missing.push(`${b} (make cross)`);
if (process.platform !== 'linux' || process.arch !== 'x64') missing.push(`a linux-x64 machine (this is ${process.platform}-${process.arch})`);
if (missing.length > 0 && process.env.CI) {
  throw new Error(`the real-VS Code test cannot run, CI is set and these are missing:\n- ${missing.join('\n- ')}`);
}
const skip = missing.length > 0 ? `missing: ${missing.join('; ')}` : false;

// The sample corpus, read here so that the assertions follow seeds/.
const seeds = join(repo, 'seeds');
const draftText = readFileSync(join(seeds, 'draft.md'), 'utf8');
const CLAIM = 'claim:soo-fine-tuning-significantly-reduces-deceptive-behavior-in-llms-while-maintaining-general-task-performance';
const MISSPELT = CLAIM.replace('behavior', 'behaviour');
const UNKNOWN = 'claim:soo-works-on-sleeper-agents';

const REMOTE_SETTINGS = 'Preferences: Open Remote Settings (JSON)';
const readText = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** Puts `content` (a file's path or a Buffer/string) at `dest` by renaming over it: a running binary cannot be written (ETXTBSY). */
function replaceFile(dest, content, mode = 0o755) {
  const tmp = `${dest}.new`;
  if (typeof content === 'string' && existsSync(content)) copyFileSync(content, tmp);
  else writeFileSync(tmp, content);
  chmodSync(tmp, mode);
  renameSync(tmp, dest);
}

/** 1-based line and column of the first `needle` in `text` (ASCII lines). */
function lineColumn(text, needle) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} not in the draft`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: before.at(-1).length + 1 };
}

/** The entity file whose id line (line 3) starts with `id`, its title and status. */
function entityFile(id) {
  for (const name of execFileSync('ls', [seeds], { encoding: 'utf8' }).split('\n').filter((n) => n.endsWith('.txt'))) {
    const lines = readFileSync(join(seeds, name), 'utf8').split('\n');
    if (lines[2]?.startsWith(id) && !/[a-z0-9-]/.test(lines[2][id.length])) {
      return { name, status: lines[1].trim(), title: lines[2].slice(id.length).trim() };
    }
  }
  throw new Error(`no entity file defines ${id}`);
}

describe('seedls in a real VS Code (code-server + Chromium)', { skip, timeout: 15 * 60_000 }, () => {
  let root;
  let shots;
  let cs;
  const servers = []; // every code-server started, for after()
  let browser;
  let wb;
  let workspace;
  let bundled; // the installed extension's server/seedls
  let version; // what that binary says it is
  let stepNo = 0;

  /** One step: on failure, what was on screen, the notifications and the output channel go to the log. */
  async function step(name, fn) {
    stepNo += 1;
    const label = `${String(stepNo).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
    const t0 = Date.now();
    try {
      await fn(label);
      console.log(`step ${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      const file = join(shots, `FAILED-${label}.png`);
      let notes = '';
      try {
        await wb.page.screenshot({ path: file });
        notes += `screenshot of the screen: ${file}\n`;
        notes += `notifications: ${JSON.stringify(await wb.toasts())}\n`;
      } catch (e) {
        notes += `no screenshot: ${e.message}\n`;
      }
      notes += `--- seedls output channel ---\n${cs?.outputChannel().split('\n').slice(-80).join('\n')}\n`;
      notes += `--- code-server log (tail) ---\n${cs?.log.split('\n').slice(-30).join('\n')}\n`;
      console.error(`step ${label} FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s\n${notes}`);
      throw err;
    }
  }

  async function shot(label) {
    await sleep(600); // notifications and hovers fade in
    const file = join(shots, `${label}.png`);
    await wb.page.screenshot({ path: file });
    return file;
  }

  /** The `seedls serve` processes started from the installed extension (not its `seedls index` children). */
  const serverProcesses = () => processesUnder(cs.exts).filter((p) => p.exe === bundled && / serve$/.test(p.cmdline));

  /** Restart Server, then wait until a new bundled server runs (or `expectRunning` false: until none does). */
  async function restartServer({ expectRunning = true } = {}) {
    const before = serverProcesses().map((p) => p.pid);
    const outputBefore = cs.outputChannel().length;
    await wb.runCommand('seedls: Restart Server');
    await wb.until(
      'the seedls output channel to log the restart',
      () => cs.outputChannel().slice(outputBefore),
      (text) => text.includes('Restarting seedls'),
      20_000,
    );
    if (expectRunning) {
      await wb.until(
        'a new bundled seedls process after the restart',
        async () => ({ procs: serverProcesses(), out: cs.outputChannel().slice(outputBefore) }),
        ({ procs, out }) => procs.length === 1 && !before.includes(procs[0].pid) && /seedls .* is running/.test(out),
        30_000,
      );
    }
    return cs.outputChannel().slice(outputBefore);
  }

  /** Starts code-server (cs) on the workspace and Chromium on it; waits for the explorer. */
  async function openWorkbench() {
    const url = await cs.start(workspace);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    wb = new Workbench(page);
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
  }

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'seedls-vscode-e2e-'));
    shots = process.env.SEEDLS_E2E_SHOTS ? resolve(process.env.SEEDLS_E2E_SHOTS) : join(tmpdir(), `seedls-vscode-e2e-shots-${Date.now()}`);
    mkdirSync(shots, { recursive: true });
    console.log(`screenshots of the real-VS Code test: ${shots}`);
    workspace = join(root, 'work', 'seeds');
    cpSync(seeds, workspace, { recursive: true });
    cs = new CodeServer(join(root, 'vscode'));
    servers.push(cs);
    // code-server has its own process group, which a Ctrl+C does not reach:
    // an exit, a timeout or a signal still takes it and all it started along.
    const killGroup = () => {
      for (const server of servers) {
        if (!server.proc?.pid) continue;
        try {
          process.kill(-server.proc.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    };
    process.on('exit', killGroup);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.once(signal, () => {
        killGroup();
        process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
      });
    }
  });

  after(async () => {
    try {
      await browser?.close();
    } catch {
      // already gone
    }
    for (const server of servers) await server.stop();
    const left = root ? processesUnder(root) : [];
    if (root) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    console.log(`screenshots of the real-VS Code test: ${shots}`);
    assert.deepEqual(left, [], 'processes left running after stop');
  });

  test('install the linux-x64 .vsix into code-server, with no seedls on PATH', async () => {
    await step('install', async () => {
      // What the extension host will see: code-server gives it a login shell's PATH.
      const login = spawnSync('bash', ['-ilc', 'command -v seedls'], { env: cs.env(), encoding: 'utf8' });
      assert.notEqual(login.status, 0, `seedls is on a login shell's PATH (${login.stdout.trim()}): the test needs a machine without it`);
      const out = cs.installExtension(vsix);
      assert.match(out, /was successfully installed/, out);
      bundled = join(cs.exts, `${pkg.publisher}.${pkg.name}-${pkg.version}`, 'server', 'seedls');
      assert.ok(existsSync(bundled), `${bundled} is not in the installed extension`);
      assert.ok(statSync(bundled).mode & 0o100, 'the bundled binary kept its execute bit through the install');
      version = execFileSync(bundled, ['version'], { encoding: 'utf8' }).trim().replace(/^seedls /, '');
      assert.match(version, /\S/);
      console.log(`bundled server: ${bundled} (seedls ${version})`);
    });
  });

  test('open the draft: the Problems panel lists the unknown and the misspelt citations', async () => {
    await step('start', openWorkbench);
    await step('problems', async (label) => {
      await wb.openFile('draft.md');
      await wb.showProblems();
      const rows = await wb.until(
        'the unknown and the misspelt citations in the Problems panel',
        () => wb.problems(),
        (r) => r.some((l) => l.includes(UNKNOWN)) && r.some((l) => l.includes(MISSPELT)),
      );
      const unknown = rows.find((l) => l.includes(UNKNOWN));
      const misspelt = rows.find((l) => l.includes(MISSPELT));
      const at = (needle) => lineColumn(draftText, needle);
      assert.match(unknown, /^Error: no entity file defines claim:soo-works-on-sleeper-agents/);
      assert.ok(unknown.includes(`at line ${at(UNKNOWN).line} and character ${at(UNKNOWN).column}`), unknown);
      assert.ok(unknown.includes('seedls'), `the source is seedls: ${unknown}`);
      assert.match(misspelt, /^Error: no entity file defines /);
      assert.ok(misspelt.includes(`did you mean ${CLAIM}?`), misspelt);
      assert.ok(misspelt.includes(`at line ${at(MISSPELT).line} and character ${at(MISSPELT).column}`), misspelt);
      console.log(`screenshot ${await shot(`${label}`)}`);

      // The server that answers is the bundled one, and the user is told so.
      const procs = serverProcesses();
      assert.equal(procs.length, 1, `one seedls from the extension: ${JSON.stringify(processesUnder(cs.root))}`);
      assert.match(procs[0].cmdline, / serve$/);
      const out = cs.outputChannel();
      assert.ok(out.includes(`Starting ${bundled} serve (the server bundled with the extension)`), out);
      assert.ok(out.includes(`seedls ${version} is running (pid ${procs[0].pid}), the server bundled with the extension: ${bundled}`), out);
      const status = await wb.until('the seedls status bar item', () => wb.statusItem('seedls.status'), (s) => s?.visible && s.text === `seedls ${version}`, 10_000);
      assert.equal(status.text, `seedls ${version}`);
    });
  });

  test('hover on a claim id shows its title and status', async () => {
    await step('hover', async (label) => {
      const entity = entityFile(CLAIM);
      const at = lineColumn(draftText, CLAIM);
      await wb.goTo(at.line, at.column + 10);
      const text = await wb.hover([entity.title, entity.status]);
      assert.ok(text.includes(`${CLAIM} · claim · ${entity.status}`), text);
      console.log(`screenshot ${await shot(label)}`);
      await wb.escape();
    });
  });

  test('F12 opens the entity file at its id line', async () => {
    await step('definition', async (label) => {
      const entity = entityFile(CLAIM);
      const at = lineColumn(draftText, CLAIM);
      await wb.goTo(at.line, at.column + 10);
      await wb.keys.press('F12');
      await wb.until(`${entity.name} as the active tab`, () => wb.activeTab(), (t) => t === entity.name, 15_000);
      await wb.until('the cursor on line 3', () => wb.cursor(), (c) => c === 'Ln 3, Col 1', 5000);
      const lines = await wb.visibleLines();
      assert.ok(lines.replace(/\s+/g, '').includes(CLAIM), 'the id line is on screen');
      console.log(`screenshot ${await shot(label)}`);
    });
  });

  test('the quick fix replaces the misspelt citation by the suggestion', async () => {
    await step('quick-fix', async (label) => {
      await wb.openFile('draft.md');
      const at = lineColumn(draftText, MISSPELT);
      await wb.goTo(at.line, at.column + 5);
      await wb.keys.press('Control+.');
      const title = `Replace with ${CLAIM}`;
      const actions = await wb.until('the quick fix menu', () => wb.codeActions(), (a) => a.some((t) => t.includes(title)), 15_000);
      console.log(`screenshot ${await shot(label)}`);
      const index = actions.findIndex((t) => t.includes(title));
      await wb.page.locator('.action-widget .monaco-list-row').nth(index).click();
      await wb.until('the misspelt citation to leave the Problems panel', () => wb.problems(), (r) => !r.some((l) => l.includes(MISSPELT)) && r.some((l) => l.includes(UNKNOWN)));
      await wb.keys.press('Control+S');
      const saved = await wb.until('the draft saved with the fix', () => readFileSync(join(workspace, 'draft.md'), 'utf8'), (t) => !t.includes(MISSPELT));
      const line = saved.split('\n')[at.line - 1];
      assert.ok(line.includes(`: ${CLAIM};`), `line ${at.line} after the fix: ${line}`);
      assert.equal(saved, draftText.replace(MISSPELT, CLAIM), 'nothing else changed');
    });
  });

  test('typing claim:soo offers completions; accepting one inserts the whole id', async () => {
    await step('completion', async (label) => {
      await wb.keys.press('Control+End');
      await wb.keys.press('Enter');
      await wb.keys.type('claim:soo');
      const ids = ['000_e859c4d48ab37d79.txt', '001_4aa8ef8dd5eaa303.txt', '002_near_duplicate_claim.txt'].map((f) => readFileSync(join(seeds, f), 'utf8').split('\n')[2].match(/^claim:[a-z0-9-]+?(?=[A-Z])/)[0]);
      const rows = await wb.until('completions of claim:soo', () => wb.suggestions(), (r) => ids.every((id) => r.some((row) => row.label === id)), 20_000);
      console.log(`screenshot ${await shot(label)}`);
      const chosen = rows.find((r) => r.focused)?.label ?? rows[0].label;
      assert.ok(ids.includes(chosen), `the first completion is a claim:soo… id: ${chosen}`);
      await wb.keys.press('Enter');
      await wb.keys.press('Control+S');
      const saved = await wb.until('the draft saved with the completion', () => readFileSync(join(workspace, 'draft.md'), 'utf8'), (t) => t.trimEnd().endsWith(chosen));
      const last = saved.trimEnd().split('\n').at(-1);
      assert.equal(last, chosen, 'the whole id, once, replacing what was typed');
    });
  });

  test('seedls: Restart Server and seedls: Show Index Status', async () => {
    await step('restart', async () => {
      await wb.clearNotifications();
      const out = await restartServer();
      assert.ok(out.includes(`Starting ${bundled} serve`), out);
      // Diagnostics come back from the new server.
      await wb.showProblems();
      await wb.until('the unknown citation listed again', () => wb.problems(), (r) => r.some((l) => l.includes(UNKNOWN)));
      assert.deepEqual(await wb.toasts(), [], 'no popup from a restart');
    });
    await step('index-status', async (label) => {
      await wb.runCommand('seedls: Show Index Status');
      const toast = await wb.until(
        'the index status notification',
        () => wb.toasts(),
        (t) => t.some((x) => x.includes(`seedls ${version} (the server bundled with the extension): 7 entities, 2 documents`)),
        15_000,
      );
      assert.ok(toast.some((x) => /1 root/.test(x)), JSON.stringify(toast));
      console.log(`screenshot ${await shot(label)}`);
      await wb.clearNotifications();
    });
  });

  test('seedls: Show Neighbourhood draws the claim and its neighbours; a click opens a file', async () => {
    await step('neighbourhood', async (label) => {
      // The extension logs the commands the server offers.
      assert.match(cs.outputChannel(), /^Its commands: .*\bseedls\.neighbourhood\b/m, 'the bundled server offers seedls.neighbourhood');
      const problems = [];
      const onConsole = (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      };
      wb.page.on('console', onConsole);
      await wb.openFile('draft.md');
      const at = lineColumn(draftText, CLAIM);
      await wb.goTo(at.line, at.column + 10);
      await wb.runCommand('seedls: Show Neighbourhood');
      // The webview is a frame of its own: find the one that drew the picture.
      const frame = await wb.until(
        'the neighbourhood webview with nodes drawn',
        async () => {
          for (const f of wb.page.frames()) {
            const drawn = await f.locator('#graph[data-drawn]').getAttribute('data-drawn', { timeout: 200 }).catch(() => null);
            if (drawn && Number(drawn) > 1) return f;
          }
          return undefined;
        },
        (f) => f !== undefined,
        30_000,
      );
      assert.equal(await frame.locator('#title').innerText(), entityFile(CLAIM).title);
      assert.ok((await frame.locator('#subtitle').innerText()).startsWith(`${CLAIM} · claim · active`));
      const tab = await wb.page.locator('.tabs-container .tab.active').last().getAttribute('aria-label');
      assert.ok(tab?.includes(`Neighbourhood of ${CLAIM}`), `the panel's tab: ${tab}`);
      const nodes = await frame.locator('#nodes button').evaluateAll((els) =>
        els.map((e) => ({ key: e.dataset.key, text: e.textContent, x: Number(e.dataset.x), y: Number(e.dataset.y) })),
      );
      assert.equal(Number(await frame.locator('#graph').getAttribute('data-drawn')), nodes.length);
      const root = nodes.find((n) => n.key === CLAIM);
      assert.ok(root, `the root is drawn: ${JSON.stringify(nodes.map((n) => n.key))}`);
      assert.ok(root.text.includes(entityFile(CLAIM).title), root.text);
      // The claim's typed neighbours in seeds/: at least the finding in 003 (it lists the claim).
      const neighbour = nodes.find((n) => n.key.startsWith('finding:soo-fine-tuning-had-negligible'));
      assert.ok(neighbour, `the finding that lists the claim is drawn: ${JSON.stringify(nodes.map((n) => n.key))}`);
      // Drawn means pixels: the canvases are not empty where each node is.
      const painted = await frame.evaluate((points) => {
        const canvases = [...document.querySelectorAll('#graph canvas')];
        return points.map(({ x, y }) =>
          canvases.some((c) => {
            const ratio = c.width / c.clientWidth;
            const ctx = c.getContext('2d');
            if (!ctx) return false;
            const d = ctx.getImageData(Math.round(x * ratio) - 2, Math.round(y * ratio) - 2, 5, 5).data;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
            return false;
          }),
        );
      }, nodes.map(({ x, y }) => ({ x, y })));
      assert.deepEqual(painted, nodes.map(() => true), `every node has pixels at its place: ${JSON.stringify(nodes)}`);
      console.log(`screenshot ${await shot(label)}`);

      // A click on the finding's node opens its file at its id line.
      const graph = await frame.locator('#graph').boundingBox();
      await wb.page.mouse.click(graph.x + neighbour.x, graph.y + neighbour.y);
      const file = entityFile(neighbour.key).name;
      await wb.until(`${file} opened by the click`, () => wb.activeTab(), (tab) => tab === file, 15_000);
      await wb.until('the cursor on the id line', () => wb.cursor(), (c) => c === 'Ln 3, Col 1', 5000);
      console.log(`screenshot ${await shot(`${label}-click`)}`);
      wb.page.off('console', onConsole);
      assert.deepEqual(problems, [], 'no Content Security Policy violation');
    });
  });

  test('a server killed after running normally is restarted, without a popup', async () => {
    await step('killed-server', async () => {
      const [proc] = serverProcesses();
      assert.ok(proc, 'a server is running');
      // The restart policy leaves a server that dies within 10 s of its start stopped.
      const uptime = () => {
        const ticks = Number(readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19]);
        const boot = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
        return boot - ticks / 100; // seconds since it started: starttime is in USER_HZ, 100 on Linux
      };
      if (uptime() < 11) await sleep((11 - uptime()) * 1000);
      const outputBefore = cs.outputChannel().length;
      process.kill(proc.pid, 'SIGKILL'); // what the OOM killer does
      await wb.until(
        'a new server after the kill',
        () => ({ procs: serverProcesses(), out: cs.outputChannel().slice(outputBefore) }),
        ({ procs, out }) => procs.length === 1 && procs[0].pid !== proc.pid && /seedls stopped \(killed by SIGKILL\); restarting it\./.test(out),
        30_000,
      );
      await wb.showProblems();
      await wb.until('the unknown citation listed again', () => wb.problems(), (r) => r.some((l) => l.includes(UNKNOWN)));
      assert.deepEqual(await wb.toasts(), [], 'no popup for a restart after a crash');
    });
  });

  test('bad input: a bundled binary without its execute bit is made executable', async () => {
    await step('no-execute-bit', async () => {
      chmodSync(bundled, 0o644);
      const out = await restartServer();
      assert.ok(out.includes(`The bundled server ${bundled} had no execute permission; it was added (chmod +x).`), out);
      assert.ok(statSync(bundled).mode & 0o100);
      assert.deepEqual(await wb.toasts(), []);
    });
  });

  test("bad input: another platform's binary gives one message with a way to the output", async () => {
    const backup = join(root, 'seedls.linux-x64');
    await step('wrong-platform', async (label) => {
      copyFileSync(bundled, backup);
      replaceFile(bundled, otherPlatformBinary);
      await restartServer({ expectRunning: false });
      const toasts = await wb.until('one error message', () => wb.toasts(), (t) => t.length >= 1, 15_000);
      assert.equal(toasts.length, 1, JSON.stringify(toasts));
      assert.ok(toasts[0].includes(`The seedls server bundled with the extension (${bundled}) is built for darwin-arm64; this computer is linux-x64.`), toasts[0]);
      assert.ok(toasts[0].includes('Open Output'), toasts[0]);
      console.log(`screenshot ${await shot(label)}`);
      await sleep(3000);
      assert.equal((await wb.toasts()).length, 1, 'still one message: no retries');
      assert.deepEqual(serverProcesses(), []);
      const status = await wb.statusItem('seedls.status');
      assert.match(status.text, /seedls/);
      // The button opens the seedls output channel.
      await wb.page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Open Output' }).click();
      await wb.until('the seedls output channel on screen', () => wb.page.locator('.panel .output-view .view-lines').innerText(), (t) => t.replace(/\n/g, '').replace(/\u00a0/g, ' ').includes('is built for darwin-arm64; this computer is linux-x64'), 10_000);
      console.log(`screenshot ${await shot(`${label}-output`)}`);
      await wb.clearNotifications();
    });
    await step('crash-at-start', async (label) => {
      replaceFile(bundled, Buffer.from('#!/bin/sh\necho "seedls: cannot open the workspace: boom" >&2\nexit 3\n'));
      const out = await restartServer({ expectRunning: false });
      const toasts = await wb.until('one error message', () => wb.toasts(), (t) => t.length >= 1, 15_000);
      assert.equal(toasts.length, 1, JSON.stringify(toasts));
      assert.ok(toasts[0].includes('exited with status 3 right after starting; it said: "seedls: cannot open the workspace: boom"'), toasts[0]);
      console.log(`screenshot ${await shot(label)}`);
      await sleep(4000);
      assert.equal((await wb.toasts()).length, 1, 'still one message: no restarts');
      const starts = (cs.outputChannel().slice(cs.outputChannel().lastIndexOf('Restarting seedls')).match(/^Starting /gm) ?? []).length;
      assert.equal(starts, 1, `started once, not restarted: ${out}`);
      await wb.clearNotifications();
      replaceFile(bundled, backup);
    });
  });

  test('bad input: a seedls.path that does not exist says so and starts nothing else', async () => {
    await step('missing-setting', async (label) => {
      const missingPath = join(root, 'no', 'such', 'seedls');
      // seedls.path is a machine setting: in a remote window (code-server is one) it is set in the Remote settings.
      await wb.setSettings(REMOTE_SETTINGS, { 'seedls.path': missingPath }, cs.machineSettingsFile, readText);
      const out = await restartServer({ expectRunning: false });
      const toasts = await wb.until('one error message', () => wb.toasts(), (t) => t.length >= 1, 15_000);
      assert.equal(toasts.length, 1, JSON.stringify(toasts));
      assert.ok(toasts[0].includes(`seedls.path is set to "${missingPath}", but ${missingPath} does not exist.`), toasts[0]);
      console.log(`screenshot ${await shot(label)}`);
      await sleep(2000);
      assert.deepEqual(serverProcesses(), [], 'the bundled binary is not started instead');
      assert.doesNotMatch(out, /^Starting /m);
      await wb.clearNotifications();
    });
    await step('back-to-normal', async () => {
      await wb.setSettings(REMOTE_SETTINGS, {}, cs.machineSettingsFile, readText);
      await restartServer();
      await wb.openFile('draft.md');
      const at = lineColumn(draftText, CLAIM);
      await wb.goTo(at.line, at.column + 10);
      await wb.hover([entityFile(CLAIM).title]);
      await wb.escape();
      assert.deepEqual(await wb.toasts(), []);
    });
  });

  test("the platform-neutral package: one message without a server, then seedls from the login shell's PATH", async () => {
    const userBin = join(root, 'user-bin');
    await step('neutral-not-found', async (label) => {
      await browser.close();
      await cs.stop();
      // A second VS Code whose user's login profile puts a folder of theirs on PATH, still without seedls in it.
      mkdirSync(userBin);
      cs = new CodeServer(join(root, 'vscode-neutral'));
      servers.push(cs);
      writeFileSync(join(cs.home, '.profile'), `PATH="${userBin}:$PATH"\n`);
      const out = cs.installExtension(neutralVsix);
      assert.match(out, /was successfully installed/, out);
      const installed = join(cs.exts, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
      assert.ok(existsSync(join(installed, 'dist', 'extension.js')) && !existsSync(join(installed, 'server')), 'no server/ in the neutral package');
      await openWorkbench();
      await wb.openFile('draft.md');
      const toasts = await wb.until('one error message', () => wb.toasts(), (t) => t.length >= 1, 30_000);
      assert.equal(toasts.length, 1, JSON.stringify(toasts));
      assert.ok(
        toasts[0].includes('The seedls language server was not found: this package of the extension has no server inside, seedls.path is not set and seedls is not on PATH. Install the package built for this computer (seedls-linux-x64-<version>.vsix)'),
        toasts[0],
      );
      console.log(`screenshot ${await shot(label)}`);
      const output = cs.outputChannel();
      assert.ok(output.includes(`No server bundled with the extension (no ${join(installed, 'server', 'seedls')}: this is the platform-neutral package); looking for seedls on PATH.`), output);
      // The PATH it searched is the login shell's: the folder from ~/.profile is in it.
      const searched = /seedls is not on PATH \((.*)\)\./.exec(output)?.[1] ?? '';
      assert.ok(searched.split(':').includes(userBin), `the login shell's PATH: ${searched}`);
      await wb.clearNotifications();
    });
    await step('neutral-on-path', async () => {
      copyFileSync(linuxBinary, join(userBin, 'seedls'));
      chmodSync(join(userBin, 'seedls'), 0o755);
      const outputBefore = cs.outputChannel().length;
      await wb.runCommand('seedls: Restart Server');
      const onPath = join(userBin, 'seedls');
      await wb.until(
        'seedls from PATH running',
        () => ({ procs: processesUnder(userBin).filter((p) => / serve$/.test(p.cmdline)), out: cs.outputChannel().slice(outputBefore) }),
        ({ procs, out }) => procs.length === 1 && out.includes(`Starting ${onPath} serve (seedls on PATH)`) && /seedls .* is running .*seedls on PATH: /.test(out),
        30_000,
      );
      await wb.showProblems();
      await wb.until('the unknown citation listed', () => wb.problems(), (r) => r.some((l) => l.includes(UNKNOWN)));
      assert.deepEqual(await wb.toasts(), []);
    });
  });
});
