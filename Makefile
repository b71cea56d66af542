# seedls: `make check` runs the checker on the sample corpus, `make test`
# runs every test CI runs.

GO       ?= go
BIN      := bin
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 30000x

.PHONY: all build install cross check test unit vet fuzz fuzz-long bench corpus editors nvim-test emacs-test vscode vscode-e2e-deps vscode-test clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/seedls ./cmd/seedls

# Installs the binary in $(PREFIX)/bin (default ~/.local/bin).
PREFIX ?= $(HOME)/.local
install: build
	install -d $(PREFIX)/bin
	install -m 0755 $(BIN)/seedls $(PREFIX)/bin/seedls
	@echo "installed $(PREFIX)/bin/seedls"

# Static binaries for every platform the VS Code extension ships:
# $(BIN)/<os>-<arch>/seedls (seedls.exe on Windows).
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
cross:
	@set -e; for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  echo "build $(BIN)/$$os-$$arch/seedls$$ext"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/$$os-$$arch/seedls$$ext ./cmd/seedls; \
	done

# The sample corpus holds deliberate mistakes, so `seedls check` exits 1
# there; only 2 (bad usage) or a crash fails this target.
check: build
	@$(BIN)/seedls check seeds; status=$$?; \
	if [ $$status -gt 1 ]; then exit $$status; fi; \
	echo "(exit status $$status: 1 means errors were found, as the sample corpus intends)"

test: vet unit fuzz editors

# The editor tests need nvim, emacs with eglot, node, and for VS Code
# Chromium and `make vscode-e2e-deps`; CI installs them (.ci/run).
# Elsewhere a missing editor is skipped with a note, unless CI is set.
editors: nvim-test emacs-test vscode-test


vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	GOOS=windows $(GO) vet ./...
	GOOS=darwin $(GO) vet ./...
	@v=$$($(GO) list -m -f '{{.Version}}' go.lsp.dev/jsonrpc2); test "$$v" = v0.10.0 || { echo "go.lsp.dev/jsonrpc2 is $$v: protocol v0.12.0 needs v0.10.0"; exit 1; }

unit: build
	$(GO) test -race -count=1 ./...

# A short run of each fuzz target (a few seconds each); `make fuzz-long
# FUZZTIME=2000000x` for more. Counts, not durations: with a -fuzztime
# duration, Go 1.26's fuzz coordinator can fail a clean run with "context
# deadline exceeded" when the deadline races a busy worker (go.dev/issue/75804,
# fixed in Go 1.27); it did here once, on a loaded machine.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseEntity$$' -fuzztime $(FUZZTIME) ./graph
	$(GO) test -run '^$$' -fuzz '^FuzzLines$$' -fuzztime $(FUZZTIME) ./graph
	$(GO) test -run '^$$' -fuzz '^FuzzScanCitations$$' -fuzztime $(FUZZTIME) ./graph

fuzz-long:
	$(MAKE) fuzz FUZZTIME=$(FUZZTIME)

# Figures for 1k, 10k and 100k generated entity files (corpora are cached
# in $$TMPDIR/seedls-bench after the first run).
bench: build
	$(GO) run ./cmd/seedbench -bin $(BIN)/seedls $(BENCHFLAGS)

corpus:
	$(GO) run ./cmd/seedgen -n $(or $(N),10000) -o $(or $(OUT),/tmp/seedls-corpus)

# The VS Code extension: one .vsix per platform in editors/vscode/, named
# seedls-<target>-<version>.vsix, each carrying that platform's seedls from
# `make cross` as server/seedls[.exe], and a platform-neutral
# seedls-<version>.vsix without a binary.
vscode: cross
	cd editors/vscode && npm ci --no-audit --no-fund && npm run typecheck && node scripts/package.mjs --bin-dir $(CURDIR)/$(BIN)

# What the real-VS Code test runs (Node 24, code-server, playwright-core),
# from the npm registry into editors/vscode/test/e2e; it also needs Chromium
# (apt-get install chromium) and the build tools .ci/run installs.
vscode-e2e-deps:
	editors/vscode/test/e2e/install.sh

# The extension's Node tests (resolution of the binary, the server started
# as the extension starts it), then the real-VS Code test: the linux-x64
# .vsix in code-server, driven by Chromium. Without npm, or without the
# real-VS Code test's tools, a note says what was skipped; under CI both fail.
vscode-test: build
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ -n "$$CI" ]; then echo "npm is missing"; exit 1; fi; echo "skipped: npm not installed"; exit 0; fi; \
	$(MAKE) --no-print-directory vscode && \
	cd editors/vscode && SEEDLS_BIN=$(CURDIR)/$(BIN)/seedls npm test && \
	cd test/e2e && node --test vscode.test.mjs

# Headless Neovim (0.7+) and Emacs/Eglot sessions against the built server.
nvim-test: build
	@if ! command -v nvim >/dev/null 2>&1; then \
	  if [ -n "$$CI" ]; then echo "nvim is missing"; exit 1; fi; echo "skipped: nvim not installed"; exit 0; fi; \
	SEEDLS_BIN=$(CURDIR)/$(BIN)/seedls editors/neovim/test/run.sh

emacs-test: build
	@if ! command -v emacs >/dev/null 2>&1; then \
	  if [ -n "$$CI" ]; then echo "emacs is missing"; exit 1; fi; echo "skipped: emacs not installed"; exit 0; fi; \
	SEEDLS_BIN=$(CURDIR)/$(BIN)/seedls editors/emacs/test/run.sh

clean:
	rm -rf $(BIN) editors/vscode/dist editors/vscode/server editors/vscode/*.vsix
