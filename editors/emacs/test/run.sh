#!/usr/bin/env bash
# Headless test of editors/emacs/seedls.el with Eglot against the real server.
#
#   editors/emacs/test/run.sh            # uses bin/seedls (make build)
#   SEEDLS_BIN=path/to/seedls EMACS=emacs editors/emacs/test/run.sh
#
# Needs Emacs 28 with Eglot (Debian: emacs-nox elpa-eglot; Emacs 29+ has
# Eglot built in) and optionally markdown-mode (elpa-markdown-mode).
# Copies seeds/ into a temporary project with no .git or other marker, as
# a folder of exported entity files often is, and starts Emacs in it, as a
# user does; nothing is written in the repo.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
emacs="${EMACS:-emacs}"
limit="${SEEDLS_TEST_TIMEOUT:-60}"

bin="${SEEDLS_BIN:-bin/seedls}"
case "$bin" in
  /*) ;;
  */*) bin="$repo/$bin" ;;
  *) bin="$(command -v "$bin" || true)" ;;
esac
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "run.sh: seedls binary not found (${SEEDLS_BIN:-bin/seedls}): run 'make build' or set SEEDLS_BIN" >&2
  exit 1
fi
if ! command -v "$emacs" >/dev/null; then
  echo "run.sh: $emacs not found: apt-get install -y emacs-nox elpa-eglot" >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/seedls-emacs-test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
project="$tmp/project"
mkdir -p "$project" "$tmp/home" "$tmp/cache"
cp -R "$repo/seeds" "$project/seeds"

echo "$("$emacs" --version | head -n 1), server $bin"
start=$(date +%s)
status=0
(
  cd "$project"
  # A fresh HOME: no init files, no ~/.emacs.d written in the real one.
  env HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache" SEEDLS_BIN="$bin" SEEDLS_TEST_DIR="$project" \
    timeout --kill-after=5 "$limit" \
    "$emacs" --batch --no-site-file --eval '(package-initialize)' -l "$here/e2e.el" \
    </dev/null 2>"$tmp/emacs.stderr"
) || status=$?
took=$(($(date +%s) - start))
if [[ $status -ne 0 ]]; then
  if [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "FAIL: emacs did not finish within ${limit}s"
  else
    echo "FAIL: emacs exited with status $status after ${took}s"
  fi
  echo "--- emacs messages (stderr):"
  tail -n 60 "$tmp/emacs.stderr"
  exit 1
fi
echo "emacs test took ${took}s"
