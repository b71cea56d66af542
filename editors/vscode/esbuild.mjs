// Bundles the extension into dist/extension.js (CommonJS, `vscode` external),
// and the vscode-free modules that the Node tests import into dist/ as well.
// `--production` (used by vscode:prepublish, i.e. `vsce package`) minifies.
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
    ...common,
    entryPoints: ['src/serverOptions.ts', 'src/indexStatus.ts'],
    outdir: 'dist',
  }),
]);
console.log(`esbuild: dist/extension.js${production ? ' (minified)' : ''}, dist/serverOptions.js, dist/indexStatus.js`);
