// Bundles the extension into dist/extension.js (CommonJS, `vscode` external),
// the neighbourhood webview into dist/webview.js (for the browser, cytoscape
// inside) and dist/webview.css, and the vscode-free modules that the Node
// tests import into dist/ as well. `--production` (used by vscode:prepublish,
// i.e. `vsce package`) minifies.
import { copyFileSync, mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18', // VS Code 1.82's Node
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
  }),
  esbuild.build({
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome114', // VS Code 1.82's Electron
    minify: production,
    legalComments: 'eof', // cytoscape's licence notices stay in the bundle
    logLevel: 'warning',
  }),
  esbuild.build({
    entryPoints: { webview: 'src/webview/neighbourhood.css' },
    outdir: 'dist',
    bundle: true,
    minify: production,
    logLevel: 'warning',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/serverOptions.ts', 'src/indexStatus.ts', 'src/neighbourhood.ts'],
    outdir: 'dist',
  }),
]);
// cytoscape's MIT licence travels with its bundled copy.
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/cytoscape/LICENSE', 'dist/cytoscape.LICENSE');
console.log(
  `esbuild: dist/extension.js, dist/webview.js, dist/webview.css${production ? ' (minified)' : ''}; dist/serverOptions.js, dist/indexStatus.js, dist/neighbourhood.js`,
);
