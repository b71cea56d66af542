// Parses a Mermaid diagram read from stdin with Mermaid itself (in jsdom)
// and prints {"ok":true,"type":...,"nodes":N,"edges":N}, or exits 1 with
// the parse error. Run by graph_test.go when SEEDLS_MERMAID_MODULES names
// a folder whose node_modules hold mermaid and jsdom
// (npm install mermaid@11 jsdom@24).
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';

const modules = process.env.SEEDLS_MERMAID_MODULES;
const require = createRequire(path.join(modules, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(pathToFileURL(require.resolve('mermaid')).href);
mermaid.initialize({ startOnLoad: false });
const text = fs.readFileSync(0, 'utf8');
try {
  const r = await mermaid.parse(text);
  const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db;
  const v = db.getVertices();
  const nodes = v instanceof Map ? v.size : Object.keys(v).length;
  console.log(JSON.stringify({ ok: true, type: r.diagramType, nodes, edges: db.getEdges().length }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e.message || e) }));
  process.exit(1);
}
