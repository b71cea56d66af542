// Tests of the extension's vscode-free parts (bundled into dist/ by
// `npm run build`), of package.json, and of the test LSP framer. They need
// neither VS Code nor the seedls binary.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MessageReader, encodeMessage, hoverText, positionAt } from './lsp.mjs';
import { configurationItem, packageJson, seedlsConfiguration } from './vscodeConfig.mjs';

const require = createRequire(import.meta.url);
const so = require('../dist/serverOptions.js');
const { summarizeIndexStatus } = require('../dist/indexStatus.js');

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

describe('serverCommand', () => {
  test('defaults to seedls on PATH', () => {
    assert.deepEqual(so.serverCommand(seedlsConfiguration()), { command: 'seedls', args: ['serve'] });
    assert.deepEqual(so.serverCommand(undefined), { command: 'seedls', args: ['serve'] });
    assert.deepEqual(so.serverCommand({ path: '   ' }), { command: 'seedls', args: ['serve'] });
  });
  test('uses seedls.path', () => {
    assert.deepEqual(so.serverCommand(seedlsConfiguration({ path: ' /opt/seedls ' })), {
      command: '/opt/seedls',
      args: ['serve'],
    });
  });
});

describe('initializationOptions', () => {
  test('is the seedls section without path and trace', () => {
    const options = so.initializationOptions(seedlsConfiguration({ path: '/x/seedls', 'trace.server': 'verbose' }));
    assert.deepEqual(options, {
      diagnostics: { severity: {} },
      files: { include: [], exclude: ['**/.git/**', '**/node_modules/**'], maxSizeMiB: 4 },
      completion: { limit: 50 },
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

describe('findServerBinary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seedls-find-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const mk = (rel, mode = 0o755) => {
    const file = join(dir, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, mode);
    return file;
  };
  const onPath = mk('path1/seedls');
  const notExec = mk('path0/seedls', 0o644);
  const gobin = mk('gobin/seedls');
  const gopath = mk('gopath/bin/seedls');
  const home = mk('home/go/bin/seedls');
  const rel = mk('ws/bin/seedls');
  mkdirSync(join(dir, 'path2/seedls'), { recursive: true }); // a folder, not a binary
  const opts = (env) => ({ env, platform: 'linux', homeDir: join(dir, 'home') });

  test('absolute path must exist', () => {
    assert.equal(so.findServerBinary(onPath, opts({})), onPath);
    assert.equal(so.findServerBinary(join(dir, 'nope/seedls'), opts({})), undefined);
    assert.equal(so.findServerBinary(join(dir, 'path2/seedls'), opts({})), undefined);
  });
  test('searches PATH in order, skipping folders and files that cannot run', () => {
    const PATH = [join(dir, 'path2'), join(dir, 'path0'), join(dir, 'path1')].join(':');
    assert.equal(so.findServerBinary('seedls', opts({ PATH })), onPath);
    assert.equal(so.findServerBinary('seedls', opts({ PATH: join(dir, 'path0') })), home);
    void notExec;
  });
  test("falls back to Go's install folders", () => {
    assert.equal(so.findServerBinary('seedls', opts({ PATH: '/nonexistent', GOBIN: join(dir, 'gobin') })), gobin);
    assert.equal(
      so.findServerBinary('seedls', opts({ GOPATH: `/nonexistent:${join(dir, 'gopath')}` })),
      gopath,
    );
    assert.equal(so.findServerBinary('seedls', opts({})), home);
    assert.equal(
      so.findServerBinary('seedls', { env: {}, platform: 'linux', homeDir: join(dir, 'nohome') }),
      undefined,
    );
  });
  test('relative paths are taken from the workspace folder, ~ from home', () => {
    assert.equal(so.findServerBinary('bin/seedls', { ...opts({}), baseDir: join(dir, 'ws') }), rel);
    assert.equal(so.findServerBinary('./bin/seedls', { ...opts({}), baseDir: join(dir, 'ws') }), rel);
    assert.equal(so.findServerBinary('bin/seedls', opts({})), undefined);
    assert.equal(so.findServerBinary('~/go/bin/seedls', opts({})), home);
  });
  test('the not-found message says how to install', () => {
    for (const cmd of ['seedls', '/opt/seedls']) {
      const m = so.notFoundMessage(cmd);
      assert.match(m, /go install github\.com\/seedls\/seedls\/cmd\/seedls@latest/);
      assert.match(m, /make build/);
      assert.match(m, /seedls\.path/);
    }
    assert.match(so.notFoundMessage('/opt/seedls'), /\/opt\/seedls/);
  });
});

describe('summarizeIndexStatus', () => {
  test('one line from the server answer', () => {
    assert.equal(
      summarizeIndexStatus({ roots: ['/w'], files: 123, entities: 100, documents: 20, diagnostics: 7, indexing: false }),
      'seedls index: 100 entities, 20 documents, 123 files, 7 diagnostics, 1 root',
    );
    assert.equal(
      summarizeIndexStatus({ roots: [], files: 1, entities: 1, documents: 1, diagnostics: 1, indexing: true }),
      'seedls index: 1 entity, 1 document, 1 file, 1 diagnostic, 0 roots (indexing…)',
    );
  });
  test('odd answers', () => {
    assert.equal(summarizeIndexStatus(null), 'seedls index status: null');
    assert.equal(summarizeIndexStatus(undefined), 'seedls index status: no answer');
    assert.equal(summarizeIndexStatus({ other: 1 }), 'seedls index: {"other":1}');
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
