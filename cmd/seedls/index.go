package main

import (
	"fmt"
	"io"

	"github.com/seedls/seedls/graph/search"
)

// runIndex is `seedls index DIR`, which the server starts to build the
// search index of a workspace: it reads the documents on stdin (see
// search.WriteDocs) and writes the index to DIR. Not for people: it is
// left out of the usage text. It runs at a lower priority, so that the
// server it works for answers requests first.
func runIndex(args []string, stdin io.Reader, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: seedls index DIR (documents on stdin)")
		return 2
	}
	lowerPriority()
	if err := search.Build(args[0], stdin); err != nil {
		fmt.Fprintf(stderr, "seedls index: %v\n", err)
		return 1
	}
	return 0
}
