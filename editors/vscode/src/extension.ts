// The seedls VS Code extension: a thin client that starts `seedls serve` over
// stdio, passes the `seedls` settings, and adds three commands (restart,
// index status, the neighbourhood picture) and a status bar item. Every
// feature is the server's; the picture draws what the server answers.
//
// Which binary runs (seedls.path, else the one bundled in server/, else
// seedls on PATH) is decided in serverOptions.ts, which tests run in plain
// Node. This file starts it and makes sure that a binary that cannot start,
// or dies right away, gives one error message with a way to the output
// channel: no silence, no loop of restarts and popups.

import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandlerResult,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from 'vscode-languageclient/node';
import { summarizeIndexStatus } from './indexStatus';
import {
  Neighbourhood,
  NEIGHBOURHOOD_COMMAND,
  neighbourhoodArguments,
  nodeTarget,
  parseNeighbourhood,
  toView,
  View,
  webviewHtml,
} from './neighbourhood';
import {
  describeSource,
  earlyExitMessage,
  INDEX_STATUS_COMMAND,
  initializationOptions,
  resolveServer,
  RestartPolicy,
  SeedlsConfig,
  SERVER_ARGS,
  ServerSource,
  spawnFailureMessage,
} from './serverOptions';

const CLIENT_ID = 'seedls'; // also makes the client read seedls.trace.server
const LANGUAGES = ['markdown', 'latex', 'tex', 'plaintext'];

/** One started `seedls serve` process. */
interface Launched {
  proc: ChildProcess;
  startedAt: number;
  exit?: { code: number | null; signal: string | null };
  exited: Promise<void>;
  /** The last few KB of its stderr, for the error message. */
  stderrTail: string;
}

/** The language client, whose own popups go through the extension's one-message rule. */
class SeedlsLanguageClient extends LanguageClient {
  onForcedError?: (message: string) => void;

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, false);
    if (showNotification === 'force') this.onForcedError?.(message);
  }
}

type Phase = 'stopped' | 'starting' | 'running' | 'failed';

let context: vscode.ExtensionContext;
let outputChannel: vscode.OutputChannel;
let traceOutputChannel: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;

let client: SeedlsLanguageClient | undefined;
let phase: Phase = 'stopped';
let current: Launched | undefined;
let server: { source: ServerSource; path: string; version?: string } | undefined;
let failure: string | undefined;
/** Whether this start (activation or Restart Server) has shown its error already. */
let failureShown = false;
/** Serialises start, stop and restart so two restarts never overlap. */
let pending: Promise<void> = Promise.resolve();

export function activate(ctx: vscode.ExtensionContext): Promise<void> {
  context = ctx;
  outputChannel = vscode.window.createOutputChannel('seedls');
  traceOutputChannel = vscode.window.createOutputChannel('seedls trace');
  statusItem = vscode.window.createStatusBarItem('seedls.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'seedls';
  statusItem.command = 'seedls.showIndexStatus';
  ctx.subscriptions.push(
    outputChannel,
    traceOutputChannel,
    statusItem,
    vscode.commands.registerCommand('seedls.restartServer', () => serialise(restart)),
    vscode.commands.registerCommand('seedls.showIndexStatus', showIndexStatus),
    vscode.commands.registerCommand('seedls.showNeighbourhood', showNeighbourhood),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidOpenTextDocument(() => updateStatus()),
  );
  updateStatus();
  return serialise(start);
}

export function deactivate(): Promise<void> {
  return serialise(stop);
}

function serialise(step: () => Promise<void>): Promise<void> {
  pending = pending.then(step, step);
  return pending;
}

function seedlsConfig(): SeedlsConfig {
  return vscode.workspace.getConfiguration('seedls') as unknown as SeedlsConfig;
}

function log(line: string): void {
  outputChannel.appendLine(line);
}

async function start(): Promise<void> {
  failureShown = false;
  failure = undefined;
  server = undefined;
  setPhase('starting');

  const baseDir = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  const configuredPath = seedlsConfig().path;
  const configured = typeof configuredPath === 'string' && configuredPath.trim() !== '';
  const resolution = resolveServer({
    configuredPath,
    extensionPath: context.extensionPath,
    baseDir,
  });
  for (const note of resolution.notes) log(note);
  if (!resolution.ok) {
    fail(resolution.message, configured || resolution.reason === 'not-found' ? 'seedls.path' : undefined);
    return;
  }
  const { source, path: file } = resolution;
  server = { source, path: file };
  log(`Starting ${file} ${SERVER_ARGS.join(' ')} (${describeSource(source)})`);

  let first: Launched | undefined;
  try {
    first = await launch(file, baseDir);
  } catch (err) {
    log(`Starting ${file} failed: ${String(err)}`);
    fail(spawnFailureMessage(err, source, file), configured ? 'seedls.path' : undefined);
    return;
  }

  const policy = new RestartPolicy();
  /** Whether this client's server answered initialize: until then start() reports every failure. */
  let initialized = false;
  const serverOptions: ServerOptions = async () => {
    const launched = first ?? (await launch(file, baseDir));
    first = undefined;
    current = launched;
    return launched.proc;
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    // A function, so that each (re)start sends the settings of that moment.
    initializationOptions: () => initializationOptions(seedlsConfig()),
    synchronize: { configurationSection: 'seedls' },
    outputChannel,
    traceOutputChannel,
    // The client's own popups are replaced by ours (one per start).
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationFailedHandler: (err) => {
      log(`seedls did not initialize: ${String(err)}`);
      return false;
    },
    errorHandler: {
      error: (err, _message, count): ErrorHandlerResult => {
        log(`Connection to seedls: ${String(err)}`);
        // While starting, a dead server shows as write errors: start() reports it.
        if (!initialized) return { action: ErrorAction.Continue, handled: true };
        return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
      },
      closed: async (): Promise<CloseHandlerResult> => {
        const launched = current;
        if (launched) await waitExit(launched, 2000);
        const how = launched?.exit
          ? launched.exit.signal
            ? `killed by ${launched.exit.signal}`
            : `exit status ${launched.exit.code}`
          : 'connection closed';
        if (!initialized) {
          // start() reports it once client.start() has failed.
          return { action: CloseAction.DoNotRestart, handled: true, message: `seedls stopped while starting (${how}).` };
        }
        const decision = policy.decide(launched?.startedAt ?? 0, Date.now());
        if (decision.restart) {
          return { action: CloseAction.Restart, handled: true, message: `seedls stopped (${how}); restarting it.` };
        }
        const message =
          decision.why === 'early'
            ? earlyExitMessage(source, file, launched?.exit, launched?.stderrTail ?? '')
            : `The seedls server stopped ${policy.maxRestarts + 1} times in three minutes (last: ${how}). ` +
              'It will not be restarted until you run "seedls: Restart Server". Its output is in the seedls output channel.';
        fail(message);
        return { action: CloseAction.DoNotRestart, handled: true, message };
      },
    },
  };

  const c = new SeedlsLanguageClient(CLIENT_ID, 'seedls', serverOptions, clientOptions);
  c.onForcedError = (message) => {
    if (initialized) fail(`seedls: ${message} See the seedls output channel.`);
  };
  client = c;
  let startError: unknown;
  try {
    await c.start();
  } catch (err) {
    startError = err;
  }
  // start() can also resolve for a server that died while initializing
  // (the client forgets its start promise when the connection closes):
  // judge by the result, not by the promise.
  if (startError !== undefined || !c.isRunning() || c.initializeResult === undefined) {
    const err = startError ?? new Error('the connection closed before initialize was answered');
    const launched = current;
    if (launched) await waitExit(launched, 2000);
    log(`seedls failed to start: ${String(err)}`);
    fail(
      launched?.exit
        ? earlyExitMessage(source, file, launched.exit, launched.stderrTail)
        : `The seedls server (${describeSource(source)}: ${file}) did not start: ${String(err)}`,
    );
    await stopClient(c, false);
    return;
  }
  initialized = true;
  server.version = c.initializeResult?.serverInfo?.version;
  log(
    `seedls ${server.version ?? '(no version given)'} is running (pid ${current?.proc.pid}), ` +
      `${describeSource(source)}: ${file}`,
  );
  const commands = c.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  log(`Its commands: ${commands.join(', ') || 'none'}`);
  setPhase('running');
}

/** Spawns `file serve`; resolves once the process exists, rejects when it cannot be started. */
function launch(file: string, cwd: string | undefined): Promise<Launched> {
  return new Promise((resolve, reject) => {
    let proc: ChildProcess;
    try {
      proc = spawn(file, SERVER_ARGS, { cwd, stdio: 'pipe', windowsHide: true });
    } catch (err) {
      reject(err);
      return;
    }
    const launched: Launched = {
      proc,
      startedAt: Date.now(),
      stderrTail: '',
      exited: new Promise((done) => {
        proc.once('exit', (code, signal) => {
          launched.exit = { code, signal };
          log(`seedls (pid ${proc.pid}) ended: ${signal ? `killed by ${signal}` : `exit status ${code}`}`);
          done();
        });
      }),
    };
    proc.stderr?.on('data', (chunk: Buffer) => {
      launched.stderrTail = (launched.stderrTail + chunk.toString('utf8')).slice(-4096);
    });
    proc.stdin?.on('error', (err) => log(`Writing to seedls: ${String(err)}`));
    proc.once('spawn', () => {
      proc.off('error', reject);
      proc.on('error', (err) => log(`seedls process: ${String(err)}`));
      resolve(launched);
    });
    proc.once('error', reject);
  });
}

function waitExit(launched: Launched, ms: number): Promise<void> {
  if (launched.exit) return Promise.resolve();
  return Promise.race([launched.exited, new Promise<void>((r) => setTimeout(r, ms))]);
}

/** Logs the failure, marks the status bar, and shows it once per start. */
function fail(message: string, setting?: string): void {
  log(message);
  failure = message;
  setPhase('failed');
  if (failureShown) return;
  failureShown = true;
  const buttons = setting ? ['Open Output', 'Open Settings'] : ['Open Output'];
  void vscode.window.showErrorMessage(message, ...buttons).then((choice) => {
    if (choice === 'Open Output') outputChannel.show(true);
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', setting);
  });
}

async function stopClient(c: SeedlsLanguageClient, wasRunning = true): Promise<void> {
  const launched = current;
  try {
    // Also for a client whose start failed: disposing it ends its own retries.
    await c.dispose(5000);
  } catch (err) {
    // A client whose start failed says it "can't be stopped": nothing to tell.
    if (wasRunning) log(`Stopping seedls: ${String(err)}`);
  }
  // The client does not kill a process it did not spawn: make sure it is gone.
  if (launched && !launched.exit) {
    await waitExit(launched, 2000);
    if (!launched.exit) {
      log(`seedls (pid ${launched.proc.pid}) did not exit: killing it`);
      launched.proc.kill();
    }
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await stopClient(c, phase === 'running');
  current = undefined;
  if (phase !== 'failed') setPhase('stopped');
}

async function restart(): Promise<void> {
  log('Restarting seedls');
  await stop();
  await start();
}

function setPhase(p: Phase): void {
  phase = p;
  updateStatus();
}

function updateStatus(): void {
  if (!statusItem) return;
  const doc = vscode.window.activeTextEditor?.document;
  const handled = doc !== undefined && LANGUAGES.includes(doc.languageId) && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
  if (!handled) {
    statusItem.hide();
    return;
  }
  statusItem.backgroundColor = undefined;
  switch (phase) {
    case 'starting':
      statusItem.text = '$(sync~spin) seedls';
      statusItem.tooltip = 'seedls is starting';
      break;
    case 'running':
      statusItem.text = `seedls ${server?.version ?? ''}`.trim();
      statusItem.tooltip = `seedls ${server?.version ?? ''} from ${describeSource(server!.source)}: ${server!.path}\nClick for the index status.`;
      break;
    case 'failed':
      statusItem.text = '$(error) seedls';
      statusItem.tooltip = failure ?? 'seedls is not running';
      statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      break;
    case 'stopped':
      statusItem.text = 'seedls (stopped)';
      statusItem.tooltip = 'seedls is not running';
      break;
  }
  statusItem.show();
}

async function showIndexStatus(): Promise<void> {
  await pending;
  const c = client;
  if (!c || phase !== 'running' || !c.isRunning()) {
    const why = failure ?? 'seedls is not running.';
    const choice = await vscode.window.showWarningMessage(`${why} Run "seedls: Restart Server" to start it.`, 'Open Output');
    if (choice === 'Open Output') outputChannel.show(true);
    return;
  }
  try {
    const status: unknown = await c.sendRequest(ExecuteCommandRequest.type, { command: INDEX_STATUS_COMMAND });
    log(`Index status: ${JSON.stringify(status, null, 2)}`);
    const summary = summarizeIndexStatus(status, server?.version, server ? describeSource(server.source) : undefined);
    const choice = await vscode.window.showInformationMessage(summary, 'Show Details');
    if (choice === 'Show Details') outputChannel.show(true);
  } catch (err) {
    log(`seedls.indexStatus failed: ${String(err)}`);
    void vscode.window.showErrorMessage(`seedls: could not get the index status: ${String(err)}`);
  }
}

/** The neighbourhood panel, reused by each Show Neighbourhood; what it shows; where files open. */
let panel: vscode.WebviewPanel | undefined;
let shown: { neighbourhood: Neighbourhood; view: View; column: vscode.ViewColumn } | undefined;

async function showNeighbourhood(): Promise<void> {
  await pending;
  const editor = vscode.window.activeTextEditor;
  if (!editor || !LANGUAGES.includes(editor.document.languageId)) {
    void vscode.window.showInformationMessage(
      'seedls: open an entity file or a document citing entities, put the cursor on an entity id, a citation or a neighbour, then run "seedls: Show Neighbourhood".',
    );
    return;
  }
  const c = client;
  if (!c || phase !== 'running' || !c.isRunning()) {
    const choice = await vscode.window.showWarningMessage(`${failure ?? 'seedls is not running.'} Run "seedls: Restart Server" to start it.`, 'Open Output');
    if (choice === 'Open Output') outputChannel.show(true);
    return;
  }
  const offered = c.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!offered.includes(NEIGHBOURHOOD_COMMAND)) {
    void vscode.window.showWarningMessage(
      `seedls ${server?.version ?? ''} does not offer ${NEIGHBOURHOOD_COMMAND}: the neighbourhood needs a newer server.`.replace('  ', ' '),
    );
    return;
  }
  const position = editor.selection.active;
  let neighbourhood: Neighbourhood | null;
  try {
    const answer: unknown = await c.sendRequest(ExecuteCommandRequest.type, {
      command: NEIGHBOURHOOD_COMMAND,
      arguments: neighbourhoodArguments(c.code2ProtocolConverter.asUri(editor.document.uri), position.line, position.character),
    });
    neighbourhood = parseNeighbourhood(answer);
  } catch (err) {
    log(`${NEIGHBOURHOOD_COMMAND} failed: ${String(err)}`);
    const choice = await vscode.window.showErrorMessage(`seedls: could not get the neighbourhood: ${String(err)}`, 'Open Output');
    if (choice === 'Open Output') outputChannel.show(true);
    return;
  }
  if (neighbourhood === null) {
    void vscode.window.showInformationMessage(
      'seedls: no entity here. Put the cursor on an entity id, a citation or a neighbour, then run "seedls: Show Neighbourhood".',
    );
    return;
  }
  const view = toView(neighbourhood);
  for (const problem of view.problems) log(`Neighbourhood: ${problem}`);
  shown = { neighbourhood, view, column: editor.viewColumn ?? vscode.ViewColumn.One };
  if (!panel) {
    const root = vscode.Uri.joinPath(context.extensionUri, 'dist');
    panel = vscode.window.createWebviewPanel(
      'seedls.neighbourhood',
      view.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [root] },
    );
    const webview = panel.webview;
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.css')).toString(),
      nonce: nonce(),
    });
    webview.onDidReceiveMessage(onPanelMessage, undefined, context.subscriptions);
    panel.onDidDispose(() => {
      panel = undefined;
      shown = undefined;
    });
  } else {
    panel.reveal(vscode.ViewColumn.Beside, true);
    void panel.webview.postMessage({ type: 'show', view });
  }
  panel.title = view.title;
  log(`Neighbourhood of ${view.roots.join(', ')}: ${view.nodes.length} nodes, ${view.edges.length} edges`);
}

async function onPanelMessage(message: { type?: string; key?: string }): Promise<void> {
  if (message.type === 'ready') {
    // The page (re)loaded: give it what it shows.
    if (shown) void panel?.webview.postMessage({ type: 'show', view: shown.view });
    return;
  }
  if (message.type !== 'open' || typeof message.key !== 'string' || !shown) return;
  const target = nodeTarget(shown.neighbourhood, message.key);
  if ('reason' in target) {
    void vscode.window.showInformationMessage(`seedls: ${target.reason}`);
    return;
  }
  const at = new vscode.Range(target.line, 0, target.line, 0);
  try {
    await vscode.window.showTextDocument(vscode.Uri.parse(target.uri), { viewColumn: shown.column, selection: at, preserveFocus: false });
  } catch (err) {
    log(`Opening ${target.uri}: ${String(err)}`);
    void vscode.window.showErrorMessage(`seedls: could not open ${target.uri}: ${String(err)}`);
  }
}

function nonce(): string {
  return randomBytes(18).toString('base64url');
}
