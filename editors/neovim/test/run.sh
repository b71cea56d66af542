#!/usr/bin/env bash
# Headless end-to-end test of the Neovim plugin against the real server.
#
#   editors/neovim/test/run.sh            # uses bin/seedls (make build)
#   SEEDLS_BIN=path/to/seedls NVIM=nvim editors/neovim/test/run.sh
#
# Copies seeds/ into temporary workspaces without any root marker (no .git,
# no .seedls: a folder of exported entity files), so nothing is written in
# the repository, and runs test/e2e.lua in `nvim --headless --clean` twice,
# each time started in the workspace folder as a user starts it, with a fake
# $HOME above the workspaces:
#   1. $HOME/notes: the entity files in seeds/, the draft in drafts/, opened
#      as `drafts/draft.md`;
#   2. $HOME/export, a symbolic link to a folder holding the entity files,
#      the draft two folders below, opened by its path through the link.
# Both must get the workspace folder as their root. Fails when nvim exits
# non-zero or a run takes longer than SEEDLS_TEST_TIMEOUT seconds (default 60).
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
tmp="$(cd "$tmp" && pwd -P)" # getcwd() gives real paths: no link in $tmp

# A root marker above $tmp would hide what the test is about.
dir="$tmp"
while [[ "$dir" != / ]]; do
  dir="$(dirname "$dir")"
  for marker in .git .seedls; do
    if [[ -e "$dir/$marker" ]]; then
      echo "run.sh: $dir/$marker lies above the temporary folder $tmp: set TMPDIR to a folder outside any project" >&2
      exit 1
    fi
  done
done

home="$tmp/home"
mkdir -p "$home" "$tmp/xdg/config" "$tmp/xdg/data" "$tmp/xdg/state" "$tmp/xdg/cache"

notes="$home/notes"
mkdir -p "$notes/drafts"
cp -R "$repo/seeds" "$notes/seeds"
mv "$notes/seeds/draft.md" "$notes/seeds/draft.tex" "$notes/drafts/"

mkdir -p "$tmp/data"
cp -R "$repo/seeds" "$tmp/data/export"
mkdir -p "$tmp/data/export/drafts/2025"
mv "$tmp/data/export/draft.md" "$tmp/data/export/draft.tex" "$tmp/data/export/drafts/2025/"
ln -s "$tmp/data/export" "$home/export"

echo "$("$nvim" --version | head -n 1), server $bin"
failed=0

# run_case NAME CWD DRAFT ROOT: nvim started in CWD opens DRAFT (as typed
# after :edit); its client must have ROOT as root_dir.
run_case() {
  local name="$1" cwd="$2" draft="$3" root="$4"
  echo "--- $name: cd $cwd && nvim $draft"
  rm -rf "$tmp/xdg/cache/nvim" "$tmp/xdg/state/nvim" "$home/elsewhere"
  local start status=0 took
  start=$(date +%s)
  # Keep nvim's and the server's files (lsp.log, the persistent index) in $tmp.
  (
    cd "$cwd"
    env HOME="$home" XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
      XDG_STATE_HOME="$tmp/xdg/state" XDG_CACHE_HOME="$tmp/xdg/cache" \
      NVIM_LOG_FILE="$tmp/xdg/nvim.log" \
      SEEDLS_BIN="$bin" SEEDLS_TEST_DRAFT="$draft" SEEDLS_TEST_ROOT="$root" SEEDLS_TEST_TMP="$tmp" \
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
    failed=$((failed + 1))
    return
  fi
  echo "took ${took}s"
}

run_case "1. workspace folder, entity files in seeds/, draft in drafts/" \
  "$notes" drafts/draft.md "$notes"
run_case "2. folder of entity files reached through a link, draft two folders below" \
  "$home/export" "$home/export/drafts/2025/draft.md" "$home/export"

if [[ $failed -ne 0 ]]; then
  echo "FAIL: $failed of 2 nvim runs failed"
  exit 1
fi
echo "nvim test: 2 runs passed"
