#!/usr/bin/env bash
# Headless end-to-end test of the Neovim plugin against the real server.
#
#   editors/neovim/test/run.sh            # uses bin/seedls (make build)
#   SEEDLS_BIN=path/to/seedls NVIM=nvim editors/neovim/test/run.sh
#
# Copies seeds/ into a temporary project (an empty .git folder as its root
# marker), so nothing is written in the repository, and runs test/e2e.lua in
# `nvim --headless --clean`. Fails when nvim exits non-zero or takes longer
# than SEEDLS_TEST_TIMEOUT seconds (default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
nvim="${NVIM:-nvim}"
limit="${SEEDLS_TEST_TIMEOUT:-60}"

bin="${SEEDLS_BIN:-bin/seedls}"
case "$bin" in
  /*) ;;
  */*) bin="$repo/$bin" ;;                 # relative to the repository
  *) bin="$(command -v "$bin" || true)" ;; # a bare name: on PATH
esac
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "run.sh: seedls binary not found (${SEEDLS_BIN:-bin/seedls}): run 'make build' or set SEEDLS_BIN" >&2
  exit 1
fi
if ! command -v "$nvim" >/dev/null; then
  echo "run.sh: $nvim not found: apt-get install -y neovim (0.7 or newer)" >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/seedls-nvim-test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
project="$tmp/project"
mkdir -p "$project/.git" "$tmp/xdg/config" "$tmp/xdg/data" "$tmp/xdg/state" "$tmp/xdg/cache"
cp -R "$repo/seeds" "$project/seeds"

echo "$("$nvim" --version | head -n 1), server $bin"
start=$(date +%s)
status=0
# Keep nvim's and the server's files (lsp.log, the persistent index) in $tmp.
(
  cd "$project/seeds"
  env XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
    XDG_STATE_HOME="$tmp/xdg/state" XDG_CACHE_HOME="$tmp/xdg/cache" \
    NVIM_LOG_FILE="$tmp/xdg/nvim.log" \
    SEEDLS_BIN="$bin" SEEDLS_TEST_DIR="$project" \
    timeout --kill-after=5 "$limit" \
    "$nvim" --headless --clean -u "$here/minimal_init.lua" -c "luafile $here/e2e.lua" \
    </dev/null 2>"$tmp/nvim.stderr"
) || status=$?
took=$(($(date +%s) - start))

if [[ $status -ne 0 ]]; then
  if [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "FAIL: nvim did not finish within ${limit}s"
  else
    echo "FAIL: nvim exited with status $status after ${took}s"
  fi
  if [[ -s "$tmp/nvim.stderr" ]]; then
    echo "--- nvim messages (stderr):"
    cat "$tmp/nvim.stderr"
    echo
  fi
  for log in "$tmp"/xdg/cache/nvim/lsp.log "$tmp"/xdg/state/nvim/lsp.log; do
    if [[ -s "$log" ]]; then
      echo "--- last lines of $log (server stderr and client errors):"
      tail -n 40 "$log"
    fi
  done
  exit 1
fi
echo "nvim test took ${took}s"
