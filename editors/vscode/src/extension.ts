// The seedls VS Code extension: a thin client that starts `seedls serve` over
// stdio and adds two commands. Every feature is the server's.

import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { summarizeIndexStatus } from './indexStatus';
import {
  findServerBinary,
  INDEX_STATUS_COMMAND,
  initializationOptions,
  notFoundMessage,
  SeedlsConfig,
  serverCommand,
} from './serverOptions';

const CLIENT_ID = 'seedls'; // also makes the client read seedls.trace.server
const LANGUAGES = ['markdown', 'latex', 'tex', 'plaintext'];

let client: LanguageClient | undefined;
let outputChannel: vscode.OutputChannel;
let traceOutputChannel: vscode.OutputChannel;
/** Serialises start, stop and restart so two restarts never overlap. */
let pending: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): Promise<void> {
  outputChannel = vscode.window.createOutputChannel('seedls');
  traceOutputChannel = vscode.window.createOutputChannel('seedls trace');
  context.subscriptions.push(
    outputChannel,
    traceOutputChannel,
    vscode.commands.registerCommand('seedls.restartServer', () => serialise(restart)),
    vscode.commands.registerCommand('seedls.showIndexStatus', showIndexStatus),
  );
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

async function start(): Promise<void> {
  const { command, args } = serverCommand(seedlsConfig());
  const baseDir = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  const binary = findServerBinary(command, { baseDir });
  if (!binary) {
    const message = notFoundMessage(command);
    outputChannel.appendLine(message);
    void vscode.window.showErrorMessage(message, 'Open Settings').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'seedls.path');
      }
    });
    return;
  }

  const serverOptions: ServerOptions = {
    command: binary,
    args,
    transport: TransportKind.stdio,
    options: baseDir ? { cwd: baseDir } : undefined,
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
  };

  outputChannel.appendLine(`Starting ${binary} ${args.join(' ')}`);
  const c = new LanguageClient(CLIENT_ID, 'seedls', serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (err) {
    // The client has already shown an error and written the details here.
    outputChannel.appendLine(`seedls failed to start: ${String(err)}`);
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  const wasRunning = c.state !== State.Stopped;
  try {
    // Also for a client whose start failed: disposing it ends its own retries.
    await c.dispose(5000);
  } catch (err) {
    if (wasRunning) outputChannel.appendLine(`Stopping seedls: ${String(err)}`);
  }
}

async function restart(): Promise<void> {
  outputChannel.appendLine('Restarting seedls');
  await stop();
  await start();
}

async function showIndexStatus(): Promise<void> {
  await pending;
  const c = client;
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage('seedls is not running. Run "seedls: Restart Server" to start it.');
    return;
  }
  try {
    const status: unknown = await c.sendRequest(ExecuteCommandRequest.type, { command: INDEX_STATUS_COMMAND });
    outputChannel.appendLine(`Index status: ${JSON.stringify(status, null, 2)}`);
    const choice = await vscode.window.showInformationMessage(summarizeIndexStatus(status), 'Show Details');
    if (choice === 'Show Details') outputChannel.show(true);
  } catch (err) {
    outputChannel.appendLine(`seedls.indexStatus failed: ${String(err)}`);
    void vscode.window.showErrorMessage(`seedls: could not get the index status: ${String(err)}`);
  }
}
