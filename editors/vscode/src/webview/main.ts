// The neighbourhood webview: draws the View the extension sends (see
// ../neighbourhood.ts) with cytoscape, bundled by esbuild into
// dist/webview.js; nothing is fetched at run time. A click on a node (or on
// its entry in the list below the picture, for the keyboard) asks the
// extension to open the node's file at its line.

import cytoscape from 'cytoscape';
import type { View } from '../neighbourhood';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let cy: cytoscape.Core | undefined;

/** Colours by kind, readable on light and dark themes; other kinds are grey. */
const KIND_COLOURS: Record<string, string> = {
  claim: '#4e79a7',
  finding: '#59a14f',
  paper: '#9c755f',
  concept: '#f28e2b',
  question: '#b07aa1',
  hypothesis: '#e15759',
  method: '#76b7b2',
  dataset: '#edc948',
  model: '#ff9da7',
  result: '#8cd17d',
};

function themeColour(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function render(view: View): void {
  vscode.setState(view);
  document.title = view.title;
  byId('title').textContent = view.heading;
  byId('subtitle').textContent = view.subheading;
  const unresolved = view.nodes.filter((n) => !n.resolved).length;
  byId('summary').textContent =
    `${view.nodes.length} ${view.nodes.length === 1 ? 'node' : 'nodes'}, ${view.edges.length} ${view.edges.length === 1 ? 'link' : 'links'}` +
    (unresolved > 0 ? `; dashed: ${unresolved} named in a file but in no file of the workspace` : '') +
    '. Click a node to open its file.';

  const foreground = themeColour('--vscode-editor-foreground', '#333');
  const background = themeColour('--vscode-editor-background', '#fff');
  const muted = themeColour('--vscode-descriptionForeground', '#888');
  const focus = themeColour('--vscode-focusBorder', '#0078d4');
  const far = Math.max(0, ...view.nodes.map((n) => n.level));

  cy?.destroy();
  cy = cytoscape({
    container: byId('graph'),
    elements: [
      ...view.nodes.map((n) => ({
        group: 'nodes' as const,
        data: { id: n.key, label: n.label, level: n.level, colour: KIND_COLOURS[n.kind] ?? '#8c8c8c' },
        classes: [n.root ? 'root' : '', n.resolved ? '' : 'unresolved', n.status && n.status !== 'active' ? 'inactive' : '']
          .filter((c) => c !== '')
          .join(' '),
      })),
      ...view.edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.from, target: e.to, label: e.label } })),
    ],
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(colour)',
          width: 22,
          height: 22,
          label: 'data(label)',
          color: foreground,
          'font-size': 11,
          'text-wrap': 'wrap',
          'text-max-width': '120px',
          'text-valign': 'bottom',
          'text-margin-y': 4,
          'text-background-color': background,
          'text-background-opacity': 0.8,
          'text-background-padding': '2px',
          'border-width': 1,
          'border-color': foreground,
        },
      },
      { selector: 'node.root', style: { width: 34, height: 34, 'border-width': 3, 'border-color': focus, 'font-weight': 'bold' } },
      {
        selector: 'node.unresolved',
        style: { 'background-opacity': 0.15, 'border-style': 'dashed', 'border-width': 2, 'border-color': 'data(colour)' },
      },
      { selector: 'node.inactive', style: { 'border-style': 'dotted', 'border-width': 3, opacity: 0.75 } },
      {
        selector: 'edge',
        style: {
          width: 1.5,
          'line-color': muted,
          'target-arrow-color': muted,
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          label: 'data(label)',
          'font-size': 9,
          color: muted,
          'text-rotation': 'autorotate',
          'text-background-color': background,
          'text-background-opacity': 0.8,
        },
      },
    ],
    layout: {
      name: 'concentric',
      // Roots in the middle, each hop a ring further out.
      concentric: (node: cytoscape.NodeSingular) => far - (node.data('level') as number),
      levelWidth: () => 1,
      minNodeSpacing: 8,
      spacingFactor: 0.8,
      avoidOverlap: true,
      nodeDimensionsIncludeLabels: true, // rings wide enough for the labels
      padding: 20,
      animate: false,
    } as cytoscape.LayoutOptions,
    minZoom: 0.2,
    maxZoom: 3,
  });
  cy.on('tap', 'node', (event) => vscode.postMessage({ type: 'open', key: (event.target as cytoscape.NodeSingular).id() }));
  cy.on('mouseover', 'node', () => byId('graph').classList.add('pointer'));
  cy.on('mouseout', 'node', () => byId('graph').classList.remove('pointer'));

  // The same nodes as a list: for the keyboard and screen readers, and it
  // says where each node is drawn (data-x, data-y: pixels in the picture).
  const list = byId<HTMLUListElement>('nodes');
  list.replaceChildren(
    ...view.nodes.map((n) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = n.description;
      button.dataset.key = n.key;
      button.addEventListener('click', () => vscode.postMessage({ type: 'open', key: n.key }));
      item.append(button);
      return item;
    }),
  );
  byId('list-summary').textContent = `Nodes (${view.nodes.length})`;
  const place = (): void => {
    for (const button of list.querySelectorAll<HTMLButtonElement>('button')) {
      const node = cy?.getElementById(button.dataset.key ?? '');
      if (!node || node.empty()) continue;
      const p = node.renderedPosition();
      button.dataset.x = p.x.toFixed(1);
      button.dataset.y = p.y.toFixed(1);
    }
    byId('graph').dataset.drawn = String(cy?.nodes().length ?? 0);
  };
  cy.on('render viewport resize', place);
  place();
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as { type?: string; view?: View };
  if (message?.type === 'show' && message.view) render(message.view);
});

const saved = vscode.getState() as View | undefined;
if (saved && Array.isArray(saved.nodes)) render(saved);
vscode.postMessage({ type: 'ready' });
