package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "corpus")
	var stderr bytes.Buffer
	if err := run([]string{"-n", "300", "-docs", "4", "-seed", "9", "-o", dir}, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "304 files") {
		t.Errorf("summary: %q", stderr.String())
	}
	docs, _ := os.ReadDir(filepath.Join(dir, "docs"))
	if len(docs) != 4 {
		t.Errorf("%d documents", len(docs))
	}
	// A non-empty directory is refused unless -force.
	if err := run([]string{"-n", "300", "-o", dir}, &stderr); err == nil {
		t.Error("wrote into a non-empty directory without -force")
	}
	if err := run([]string{"-n", "300", "-o", dir, "-force"}, &stderr); err != nil {
		t.Errorf("-force: %v", err)
	}
	for _, args := range [][]string{{"-n", "10"}, {"-n", "0", "-o", dir + "2"}, {"-o", dir + "3", "extra"}} {
		if err := run(args, &stderr); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}
