// The server's answer to `seedls.neighbourhood` and what the webview draws
// from it. No `vscode` import (and no DOM), so that plain Node tests check
// the mapping.
//
// The command (the server's contract):
//   workspace/executeCommand {"command":"seedls.neighbourhood","arguments":[
//     {"textDocument":{"uri":…},"position":{"line":L,"character":C},"depth":1}]}
// answers null when no entity stands at the position, else
//   {"roots":["claim:x"],"depth":1,
//    "nodes":[{"key":"claim:x","id":"claim:x","kind":"claim","status":"active",
//              "title":"…","uri":"file:///…","line":2,"root":true,"resolved":true},
//             {"key":"?finding:y","id":null,"kind":"finding","title":"…","resolved":false}],
//    "edges":[{"from":"claim:x","to":"finding:y","relations":["supports"],"group":"Findings"}]}
// with 0-based lines; edges go from the entity whose typed group lists a
// neighbour to that neighbour, by node keys.

export const NEIGHBOURHOOD_COMMAND = 'seedls.neighbourhood';

export interface WireNode {
  key: string;
  id: string | null;
  kind: string;
  status?: string;
  title: string;
  uri?: string;
  line?: number;
  root?: boolean;
  resolved: boolean;
}

export interface WireEdge {
  from: string;
  to: string;
  relations: string[];
  group: string;
}

export interface Neighbourhood {
  roots: string[];
  depth: number;
  nodes: WireNode[];
  edges: WireEdge[];
}

/** A node as the webview draws it. */
export interface ViewNode {
  key: string;
  /** Shown in the node: kind (and status when not active), then the title, shortened. */
  label: string;
  /** Said to a screen reader and shown on hover: kind, status, id or "not in the workspace", the whole title. */
  description: string;
  kind: string;
  status: string;
  root: boolean;
  resolved: boolean;
  /** Hops from the nearest root, edges taken both ways (roots 0). */
  level: number;
}

export interface ViewEdge {
  id: string;
  from: string;
  to: string;
  /** The relation words (none when the item has none). */
  label: string;
  /** The listing group's label ("Findings"). */
  group: string;
}

export interface View {
  /** The panel's title: "Neighbourhood of" the roots' ids. */
  title: string;
  /** The page's heading: the roots' titles. */
  heading: string;
  /** Under it: the roots' ids, kinds and statuses, and the depth. */
  subheading: string;
  roots: string[];
  depth: number;
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** What could not be drawn (edges to keys no node has), for the output channel. */
  problems: string[];
}

/** The command's arguments for a position in a document. */
export function neighbourhoodArguments(uri: string, line: number, character: number, depth = 1): unknown[] {
  return [{ textDocument: { uri }, position: { line, character }, depth }];
}

/**
 * Checks the answer's shape: null stays null (no entity at the position), a
 * well-formed answer comes back typed, anything else throws saying what is
 * wrong, so that a server speaking another contract is reported, not drawn
 * half.
 */
export function parseNeighbourhood(answer: unknown): Neighbourhood | null {
  if (answer === null || answer === undefined) return null;
  const fail = (what: string): never => {
    throw new Error(`seedls.neighbourhood answered something else than a neighbourhood: ${what}`);
  };
  if (typeof answer !== 'object' || Array.isArray(answer)) fail(`not an object: ${JSON.stringify(answer)?.slice(0, 200)}`);
  const a = answer as Record<string, unknown>;
  if (!Array.isArray(a.nodes)) fail('no "nodes" array');
  if (!Array.isArray(a.edges)) fail('no "edges" array');
  const roots = Array.isArray(a.roots) ? a.roots.filter((r): r is string => typeof r === 'string') : [];
  const nodes: WireNode[] = [];
  for (const [i, n] of (a.nodes as unknown[]).entries()) {
    if (!n || typeof n !== 'object') fail(`node ${i} is not an object`);
    const o = n as Record<string, unknown>;
    if (typeof o.key !== 'string' || o.key === '') fail(`node ${i} has no key`);
    const resolved = o.resolved === true;
    nodes.push({
      key: o.key as string,
      id: typeof o.id === 'string' ? o.id : null,
      kind: typeof o.kind === 'string' ? o.kind : '',
      status: typeof o.status === 'string' ? o.status : undefined,
      title: typeof o.title === 'string' ? o.title : '',
      uri: resolved && typeof o.uri === 'string' ? o.uri : undefined,
      line: resolved && typeof o.line === 'number' && Number.isInteger(o.line) && o.line >= 0 ? o.line : undefined,
      root: o.root === true,
      resolved,
    });
  }
  const edges: WireEdge[] = [];
  for (const [i, e] of (a.edges as unknown[]).entries()) {
    if (!e || typeof e !== 'object') fail(`edge ${i} is not an object`);
    const o = e as Record<string, unknown>;
    if (typeof o.from !== 'string' || typeof o.to !== 'string') fail(`edge ${i} has no from/to`);
    edges.push({
      from: o.from as string,
      to: o.to as string,
      relations: Array.isArray(o.relations) ? o.relations.filter((r): r is string => typeof r === 'string') : [],
      group: typeof o.group === 'string' ? o.group : '',
    });
  }
  return { roots, depth: typeof a.depth === 'number' ? a.depth : 0, nodes, edges };
}

/** The title cut at a word boundary to at most `max` characters, with "…". */
export function shorten(title: string, max = 60): string {
  const t = title.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '') + '…';
}

/** What the webview draws: nodes with labels and levels, edges by keys. */
export function toView(n: Neighbourhood): View {
  const keys = new Set(n.nodes.map((x) => x.key));
  const problems: string[] = [];
  const edges: ViewEdge[] = [];
  for (const [i, e] of n.edges.entries()) {
    if (!keys.has(e.from) || !keys.has(e.to)) {
      problems.push(`edge ${e.from} → ${e.to} (${e.group}) names a node that is not in the answer`);
      continue;
    }
    edges.push({ id: `e${i}`, from: e.from, to: e.to, label: e.relations.join(', '), group: e.group });
  }

  // Hops from the roots, edges both ways: the rings of the picture.
  const around = new Map<string, string[]>();
  for (const e of edges) {
    around.set(e.from, [...(around.get(e.from) ?? []), e.to]);
    around.set(e.to, [...(around.get(e.to) ?? []), e.from]);
  }
  const rootKeys = n.nodes.filter((x) => x.root || n.roots.includes(x.key)).map((x) => x.key);
  const level = new Map<string, number>(rootKeys.map((k) => [k, 0]));
  const queue = [...rootKeys];
  while (queue.length > 0) {
    const k = queue.shift()!;
    for (const m of around.get(k) ?? []) {
      if (!level.has(m)) {
        level.set(m, level.get(k)! + 1);
        queue.push(m);
      }
    }
  }
  const far = Math.max(0, ...level.values()) + 1; // nodes the edges do not reach

  const nodes: ViewNode[] = n.nodes.map((x) => {
    const status = x.status ?? '';
    const head = x.kind + (status && status !== 'active' ? ` · ${status}` : '');
    const where = x.resolved ? (x.id ?? x.key) : 'not in the workspace';
    return {
      key: x.key,
      label: `${head}\n${shorten(x.title || x.id || x.key, 48)}`,
      description: [x.kind, status, where].filter((s) => s !== '').join(' · ') + (x.title ? `: ${x.title}` : ''),
      kind: x.kind,
      status,
      root: rootKeys.includes(x.key),
      resolved: x.resolved,
      level: level.get(x.key) ?? far,
    };
  });
  const rootNodes = n.nodes.filter((x) => rootKeys.includes(x.key));
  const ids = rootNodes.map((x) => x.id ?? x.key);
  return {
    title: `Neighbourhood of ${ids.join(', ') || 'nothing'}`,
    heading: rootNodes.map((x) => x.title || x.id || x.key).join('; ') || 'Nothing at this place',
    subheading:
      rootNodes.map((x) => [x.id ?? x.key, x.kind, x.status].filter((p) => p).join(' · ')).join('; ') +
      ` · ${n.depth === 1 ? 'one hop' : `${n.depth} hops`} of typed links`,
    roots: rootKeys,
    depth: n.depth,
    nodes,
    edges,
    problems,
  };
}

/** Where a click on a node leads: its file and 0-based line, or why nowhere. */
export function nodeTarget(n: Neighbourhood, key: string): { uri: string; line: number } | { reason: string } {
  const node = n.nodes.find((x) => x.key === key);
  if (!node) return { reason: `no node ${key} in this picture` };
  if (!node.resolved || !node.uri) {
    return { reason: `"${node.title || key}" is named in an entity file but no file of the workspace defines it.` };
  }
  return { uri: node.uri, line: node.line ?? 0 };
}

/**
 * The webview's page: its script and style from the extension only, no
 * inline script but the nonce'd one, nothing from the network. The style
 * sheet's id is the one cytoscape looks for before adding a <style> of its
 * own (which this policy would refuse).
 */
export function webviewHtml(o: { cspSource: string; scriptUri: string; styleUri: string; nonce: string }): string {
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data:`,
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link id="__________cytoscape_stylesheet" rel="stylesheet" href="${o.styleUri}">
<title>seedls neighbourhood</title>
</head>
<body>
<header><h1 id="title">seedls neighbourhood</h1><p id="subtitle"></p><p id="summary"></p></header>
<main id="graph" aria-describedby="summary"></main>
<details id="list"><summary id="list-summary">Nodes</summary><ul id="nodes"></ul></details>
<script nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body>
</html>
`;
}
