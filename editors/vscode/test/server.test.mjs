// End-to-end test of the real seedls server, started exactly as the extension
// starts it: the command, arguments and initializationOptions come from the
// same module (src/serverOptions.ts, bundled to dist/serverOptions.js by
// `npm run build`, which `npm test` runs first).
//
// The binary is $SEEDLS_BIN, or ../../bin/seedls from editors/vscode (what
// `make build` produces). Without it the test is skipped, unless SEEDLS_BIN was
// set explicitly, in which case a missing binary is a failure.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspClient, hoverText, positionAt } from './lsp.mjs';
import { configurationItem, seedlsConfiguration } from './vscodeConfig.mjs';

const require = createRequire(import.meta.url);
const { SERVER_ARGS, initializationOptions, resolveServer } = require('../dist/serverOptions.js');

const here = dirname(fileURLToPath(import.meta.url));
const extensionDir = resolve(here, '..');
const seedsDir = resolve(here, '../../../seeds');
const draftPath = join(seedsDir, 'draft.md');
const binary = resolve(extensionDir, process.env.SEEDLS_BIN || '../../bin/seedls');

const REFERENCE = 'claim:soo-fine-tuning-significantly';
const EXPECTED = 'SOO fine-tuning significantly reduces deceptive behavior';

const missing = !existsSync(binary);
if (missing && process.env.SEEDLS_BIN) {
  throw new Error(`SEEDLS_BIN=${process.env.SEEDLS_BIN} does not exist (resolved to ${binary})`);
}
const skip = missing
  ? `seedls binary not found at ${binary}: run "make build" in the repository root, or set SEEDLS_BIN`
  : false;

test('seedls serve answers hover on seeds/draft.md as started by the extension', { skip, timeout: 60000 }, async (t) => {
  // The user's settings: all defaults but seedls.path.
  const config = seedlsConfiguration({ path: binary });
  const resolution = resolveServer({ configuredPath: config.path, baseDir: seedsDir });
  assert.ok(resolution.ok, `resolveServer(${config.path}): ${resolution.message}`);
  assert.equal(resolution.source, 'setting');
  const executable = resolution.path;
  const args = SERVER_ARGS;
  assert.deepEqual(args, ['serve']);
  const initOptions = initializationOptions(config);

  // Keep the persistent index out of the real ~/.cache: the default
  // cacheDirectory ("") means $XDG_CACHE_HOME/seedls.
  const cacheHome = mkdtempSync(join(tmpdir(), 'seedls-vscode-test-'));
  t.after(() => rmSync(cacheHome, { recursive: true, force: true }));

  const client = new LspClient(executable, args, {
    cwd: seedsDir,
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
    handlers: {
      request(method, params) {
        if (method === 'workspace/configuration') {
          return params.items.map((item) => configurationItem(config, item.section));
        }
        return null; // client/registerCapability, window/workDoneProgress/create, ...
      },
    },
  });
  t.after(() => client.kill());

  const rootUri = pathToFileURL(seedsDir).href;
  const init = await client.request(
    'initialize',
    {
      processId: process.pid,
      clientInfo: { name: 'seedls-vscode-test' },
      rootPath: seedsDir,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'seeds' }],
      initializationOptions: initOptions,
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          synchronization: { dynamicRegistration: true, didSave: true },
          hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true },
        },
        window: { workDoneProgress: true },
      },
      trace: 'off',
    },
    30000,
  );
  assert.ok(init?.capabilities, 'initialize result has capabilities');
  assert.ok(init.capabilities.hoverProvider, 'server announces hoverProvider');
  client.notify('initialized', {});
  // What the client does after initialized when synchronize.configurationSection is set.
  client.notify('workspace/didChangeConfiguration', { settings: { seedls: config } });

  const text = readFileSync(draftPath, 'utf8');
  const uri = pathToFileURL(draftPath).href;
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });

  const index = text.indexOf(REFERENCE);
  assert.ok(index >= 0, `${REFERENCE} not found in ${draftPath}`);
  // Inside the id, just after "claim:".
  const position = positionAt(text, index + 'claim:'.length);

  // The server may still be indexing right after didOpen: ask again until the
  // hover has the entity's title, for up to 20 seconds.
  const deadline = Date.now() + 20000;
  let hover;
  for (;;) {
    hover = await client.request('textDocument/hover', { textDocument: { uri }, position }, 10000);
    if (hoverText(hover).includes(EXPECTED) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(
    hoverText(hover).includes(EXPECTED),
    `hover at ${JSON.stringify(position)} lacks "${EXPECTED}": ${JSON.stringify(hover)}\nstderr:\n${client.stderr}`,
  );
  if (hover.contents && !Array.isArray(hover.contents) && typeof hover.contents === 'object' && 'kind' in hover.contents) {
    assert.equal(hover.contents.kind, 'markdown', 'hover is markdown');
  }

  assert.equal(await client.request('shutdown', undefined, 10000), null);
  client.notify('exit'); // no params, as vscode-jsonrpc sends it
  client.proc.stdin.end();
  const timeout = new Promise((r) => setTimeout(() => r({ timedOut: true }), 5000));
  const ended = await Promise.race([client.exited, timeout]);
  assert.ok(!ended.timedOut, `server still running 5 s after exit; stderr:\n${client.stderr}`);
  assert.equal(ended.code, 0, `exit code ${ended.code} (signal ${ended.signal}); stderr:\n${client.stderr}`);
});
