package graph_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The model knows nothing of LSP, logging or the search index; the
// checker's packages (the scan, the heap budget) do without the index.
func TestImports(t *testing.T) {
	banned := []string{"go.lsp.dev/", "go.uber.org/zap", "github.com/blevesearch/"}
	for pkg, allowed := range map[string][]string{
		"github.com/seedls/seedls/graph":      nil,
		"github.com/seedls/seedls/graph/scan": nil,
		"github.com/seedls/seedls/graph/pack": nil,
		"github.com/seedls/seedls/lsp/heap":   {"go.uber.org/zap"},
	} {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range banned {
				if strings.HasPrefix(dep, b) && !hasPrefixIn(dep, allowed) {
					t.Errorf("%s imports %s", pkg, dep)
				}
			}
		}
	}
}

func hasPrefixIn(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
