package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/scan"
	"github.com/seedls/seedls/lsp"
)

// runGraph is `seedls graph`: the typed neighbourhood of some ids, read
// from the workspace with the scan `seedls check` uses. Exit status: 0
// printed, 2 on bad usage, an unreadable workspace, an unknown id or
// output that could not be written.
func runGraph(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("graph", flag.ContinueOnError)
	fl.SetOutput(stderr)
	format := fl.String("format", "json", "output format: json, dot (Graphviz) or mermaid")
	depth := fl.Int("depth", 1, "hops of typed edges from the given ids, both ways (0: the ids alone)")
	root := fl.String("root", ".", "the workspace folder")
	fl.Usage = func() {
		fmt.Fprintf(stderr, "usage: seedls graph [--format json|dot|mermaid] [--depth N] [--root PATH] ID...\n\n"+
			"Prints the typed neighbourhood of the entities with these ids: nodes with kind, status and title,\n"+
			"edges from each entity to what its typed groups list, with their relation words.\n"+
			"Exit status: 0 printed, 2 bad usage or an unknown id.\n\nFlags:\n")
		fl.PrintDefaults()
	}
	// Flags may follow the ids: parse what follows each id again.
	var ids []string
	rest := args
	for {
		if err := fl.Parse(rest); err != nil {
			return 2
		}
		if fl.NArg() == 0 {
			break
		}
		ids = append(ids, fl.Arg(0))
		rest = fl.Args()[1:]
	}
	if len(ids) == 0 {
		fl.Usage()
		return 2
	}
	if *format != "json" && *format != "dot" && *format != "mermaid" {
		fmt.Fprintf(stderr, "seedls graph: unknown format %q (json, dot or mermaid)\n", *format)
		return 2
	}
	if *depth < 0 {
		fmt.Fprintf(stderr, "seedls graph: --depth must be 0 or more\n")
		return 2
	}
	if st, err := os.Stat(*root); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "seedls graph: --root %s is not a folder\n", *root)
		return 2
	}
	res, err := scan.Scan([]string{*root}, scan.Options{MaxSize: scan.DefaultMaxSize})
	if err != nil {
		fmt.Fprintf(stderr, "seedls graph: %v\n", err)
		return 2
	}
	snap := graph.Build(res.Files)
	// Files let their texts go once parsed; relation words and neighbours'
	// names are read again, from files that have not changed since.
	snap.UseTexts(func(f *graph.File) (string, bool) {
		text, err := scan.ReadText(f.Path, int64(f.Len)+4)
		return text, err == nil && len(text) == f.Len && graph.HashText(text) == f.Hash
	})
	var roots []*graph.Entity
	unknown := false
	for _, id := range ids {
		e := snap.Entity(id)
		if e == nil {
			unknown = true
			msg := "seedls graph: no entity file under " + *root + " defines " + id
			if sugg := snap.Suggest(id, 3); len(sugg) > 0 {
				msg += "; did you mean " + strings.Join(sugg, " or ") + "?"
			}
			fmt.Fprintln(stderr, msg)
			continue
		}
		roots = append(roots, e)
	}
	if unknown {
		return 2
	}
	n := snap.Neighbourhood(roots, *depth)
	out := bufio.NewWriter(stdout)
	switch *format {
	case "dot":
		out.WriteString(n.DOT())
	case "mermaid":
		out.WriteString(n.Mermaid())
	default:
		cwd, _ := os.Getwd()
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(lsp.NeighbourhoodJSON(n, lsp.PathURI, func(p string) string { return displayPath(cwd, p) }))
	}
	// Output that could not be written (a full disk, a closed pipe) is no
	// graph printed.
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "seedls graph: writing the graph: %v\n", err)
		return 2
	}
	return 0
}
