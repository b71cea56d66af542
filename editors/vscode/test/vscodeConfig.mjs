// What vscode.workspace.getConfiguration('seedls') gives the extension when
// the user has set nothing but `overrides`: the defaults that package.json
// declares, nested by the dots in their names.

import { readFileSync } from 'node:fs';

export const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** overrides: flat keys without the "seedls." prefix, e.g. { path: '/x/seedls' }. */
export function seedlsConfiguration(overrides = {}) {
  const config = {};
  const flat = {};
  for (const [key, schema] of Object.entries(packageJson.contributes.configuration.properties)) {
    flat[key.replace(/^seedls\./, '')] = structuredClone(schema.default);
  }
  Object.assign(flat, overrides);
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = config;
    for (const part of parts.slice(0, -1)) node = node[part] ??= {};
    node[parts.at(-1)] = value;
  }
  return config;
}

/** The answer VS Code's client gives to one workspace/configuration item. */
export function configurationItem(config, section) {
  if (section === undefined || section === null || section === '') return { seedls: config };
  const parts = section.split('.');
  if (parts[0] !== 'seedls') return null;
  let node = config;
  for (const part of parts.slice(1)) {
    if (node === null || typeof node !== 'object' || !(part in node)) return null;
    node = node[part];
  }
  return node;
}
