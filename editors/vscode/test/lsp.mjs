// A tiny LSP client over a child process's stdio: Content-Length framing,
// requests with ids and time limits, answers to the server's own requests.
// Enough for the tests; no dependencies.

import { spawn } from 'node:child_process';

/** Splits a byte stream into JSON-RPC messages framed by Content-Length headers. */
export class MessageReader {
  #buffer = Buffer.alloc(0);
  #onMessage;

  constructor(onMessage) {
    this.#onMessage = onMessage;
  }

  push(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.#buffer.subarray(0, headerEnd).toString('ascii');
      const match = /^content-length:\s*(\d+)\s*$/im.exec(header);
      if (!match) throw new Error(`LSP header without Content-Length: ${JSON.stringify(header)}`);
      const length = Number(match[1]);
      const start = headerEnd + 4;
      if (this.#buffer.length < start + length) return;
      const body = this.#buffer.subarray(start, start + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(start + length);
      this.#onMessage(JSON.parse(body));
    }
  }
}

/** Frames one JSON-RPC message. */
export function encodeMessage(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

export class LspClient {
  #nextId = 1;
  #pending = new Map();
  #exit;

  /**
   * Starts `command args` and speaks LSP with it.
   * handlers: { request(method, params) -> result, notification(method, params) }
   */
  constructor(command, args, { env, cwd, handlers = {} } = {}) {
    this.handlers = handlers;
    this.stderr = '';
    this.notifications = [];
    this.proc = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#exit = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => resolve({ code, signal }));
      this.proc.on('error', (error) => resolve({ code: null, signal: null, error }));
    });
    this.#exit.then(({ code, signal, error }) => {
      const why = error ? error.message : `exit code ${code}, signal ${signal}`;
      for (const { reject, method } of this.#pending.values()) {
        reject(new Error(`server ended (${why}) before answering ${method}; stderr:\n${this.stderr}`));
      }
      this.#pending.clear();
    });
    this.proc.stdin.on('error', () => {}); // writes after exit are reported by #exit
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (s) => {
      this.stderr += s;
    });
    const reader = new MessageReader((m) => this.#dispatch(m));
    this.proc.stdout.on('data', (chunk) => {
      try {
        reader.push(chunk);
      } catch (err) {
        for (const { reject } of this.#pending.values()) reject(err);
        this.#pending.clear();
      }
    });
  }

  /** Resolves with { code, signal } (or { error }) when the process ends. */
  get exited() {
    return this.#exit;
  }

  #send(message) {
    this.proc.stdin.write(encodeMessage({ jsonrpc: '2.0', ...message }));
  }

  request(method, params, timeoutMs = 20000) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms; stderr so far:\n${this.stderr}`));
      }, timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.#send({ id, method, params });
    });
  }

  notify(method, params) {
    this.#send({ method, params });
  }

  async #dispatch(m) {
    if (m.method === undefined) {
      // A response to one of our requests.
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.error) p.reject(new Error(`${p.method} failed: ${m.error.code} ${m.error.message}`));
      else p.resolve(m.result ?? null);
      return;
    }
    if (m.id === undefined) {
      this.notifications.push(m);
      this.handlers.notification?.(m.method, m.params);
      return;
    }
    // A request from the server: answer it as VS Code would, or with null.
    try {
      const result = this.handlers.request ? await this.handlers.request(m.method, m.params) : null;
      this.#send({ id: m.id, result: result ?? null });
    } catch (err) {
      this.#send({ id: m.id, error: { code: -32603, message: String(err) } });
    }
  }

  kill() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

/** The zero-based line and UTF-16 column of a string index, with LSP's line breaks (\n, \r\n, \r). */
export function positionAt(text, index) {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a || (ch === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  // JavaScript strings are UTF-16, so the index difference is the UTF-16 column.
  return { line, character: index - lineStart };
}

/** The text of a hover result, whatever form its contents take. */
export function hoverText(hover) {
  if (!hover) return '';
  const one = (c) => (typeof c === 'string' ? c : (c?.value ?? ''));
  const c = hover.contents;
  return Array.isArray(c) ? c.map(one).join('\n') : one(c);
}
