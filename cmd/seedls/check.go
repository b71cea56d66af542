package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"

	"golang.org/x/term"

	"github.com/seedls/seedls/graph"
	"github.com/seedls/seedls/graph/scan"
	"github.com/seedls/seedls/lsp/heap"
)

// runCheck is `seedls check`: exit 0 when no diagnostic is an error, 1 when
// one is, 2 on bad usage or when the workspace cannot be read at all.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	format := fl.String("format", "text", "output format: text or json")
	minSev := fl.String("severity", "information", "lowest severity printed: error, warning, information or hint (the summary counts all)")
	maxMiB := fl.Float64("max-size", float64(scan.DefaultMaxSize)/(1<<20), "largest file read, in MiB")
	var include, exclude listFlag
	fl.Var(&include, "include", "read only files matching this glob (repeatable)")
	fl.Var(&exclude, "exclude", "skip files matching this glob (repeatable; default .git and node_modules)")
	var sevs severityFlag
	fl.Var(&sevs, "set", "override a code's severity, CODE=SEVERITY or CODE=off (repeatable)")
	cpuProfile := fl.String("cpuprofile", "", "write a CPU profile of the run to this file (for development)")
	fl.Usage = func() {
		fmt.Fprintf(stderr, "usage: seedls check [flags] [PATH...]\n\nReports every problem in the entity files and documents under PATH (default .).\nExit status: 0 no error, 1 errors found, 2 bad usage.\n\nFlags:\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "seedls check: unknown format %q (text or json)\n", *format)
		return 2
	}
	lowest, ok := graph.ParseSeverity(*minSev)
	if !ok || lowest == graph.SeverityOff {
		fmt.Fprintf(stderr, "seedls check: unknown severity %q\n", *minSev)
		return 2
	}
	if *cpuProfile != "" {
		if f, err := os.Create(*cpuProfile); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	roots := fl.Args()
	if len(roots) == 0 {
		roots = []string{"."}
	}
	opt := scan.Options{MaxSize: int64(*maxMiB * (1 << 20)), Include: include, Exclude: exclude.orNil()}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		opt.Progress = func(read, found int) {
			fmt.Fprintf(stderr, "\rreading %d/%d files", read, found)
			if read == found {
				fmt.Fprint(stderr, "\r\033[K")
			}
		}
	}
	res, err := scan.Scan(roots, opt)
	if err != nil {
		fmt.Fprintf(stderr, "seedls check: %v\n", err)
		return 2
	}
	// A path or a pattern that selects nothing is a mistake in the command,
	// not a clean workspace: "no problems found" would hide it.
	for _, g := range res.Unmatched {
		fmt.Fprintf(stderr, "seedls check: --include %s matches no file\n", g)
		return 2
	}
	for i, n := range res.Listed {
		if n == 0 {
			fmt.Fprintf(stderr, "seedls check: %s: no file to read there (see --include and --exclude)\n", roots[i])
			return 2
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(stderr, "note: %s\n", n)
	}
	snap := graph.Build(res.Files)
	heap.Tighten()
	res = nil // the snapshot holds the files now
	sum := snap.Summarize(nil)
	cwd, _ := os.Getwd()
	out := bufio.NewWriterSize(stdout, 1<<16)
	var enc *json.Encoder
	if *format == "json" {
		out.WriteString("{\"diagnostics\":[")
		enc = json.NewEncoder(out)
	}
	shown, hidden := 0, 0
	// Diagnostics are printed file by file as they are made, in path order,
	// so a workspace of 100k files never holds all of them at once.
	snap.DiagnoseEach(func(f *graph.File, ds []graph.Diagnostic) {
		ds = sevs.m.Apply(ds)
		sum.Count(ds)
		for _, d := range ds {
			if d.Severity > lowest {
				hidden++
				continue
			}
			// Columns are 1-based and count characters (code points), which
			// is what a person counts; editors get UTF-16 from the server.
			r := f.Lines().Range(d.Span, graph.UTF32)
			cd := checkDiag{
				Path: displayPath(cwd, d.Path), Line: r.Start.Line + 1, Column: r.Start.Col + 1,
				EndLine: r.End.Line + 1, EndColumn: r.End.Col + 1,
				Severity: d.Severity.String(), Code: string(d.Code), Message: d.Message,
				Suggestions: d.Suggestions,
			}
			if enc != nil {
				if shown > 0 {
					out.WriteString(",")
				}
				enc.Encode(cd)
			} else {
				fmt.Fprintf(out, "%s:%d:%d: %s: %s: %s\n", cd.Path, cd.Line, cd.Column, cd.Severity, cd.Code, cd.Message)
			}
			shown++
		}
	})
	if enc != nil {
		out.WriteString("],\"summary\":")
		if err := enc.Encode(sum); err != nil {
			fmt.Fprintf(stderr, "seedls check: %v\n", err)
			return 2
		}
		out.WriteString("}\n")
	} else {
		printSummary(out, sum, hidden)
	}
	// A report that could not be written (a full disk, a closed pipe) must
	// not pass for a clean one.
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "seedls check: writing the report: %v\n", err)
		return 2
	}
	if sum.BySeverity["error"] > 0 {
		return 1
	}
	return 0
}

type checkDiag struct {
	Path        string   `json:"path"`
	Line        int      `json:"line"`
	Column      int      `json:"column"`
	EndLine     int      `json:"endLine"`
	EndColumn   int      `json:"endColumn"`
	Severity    string   `json:"severity"`
	Code        string   `json:"code"`
	Message     string   `json:"message"`
	Suggestions []string `json:"suggestions,omitempty"`
}

func printSummary(w io.Writer, s graph.Summary, hidden int) {
	fmt.Fprintf(w, "\n%d files: %d entities, %d documents, %d citations\n", s.Files, s.Entities, s.Documents, s.Citations)
	if len(s.ByCode) == 0 {
		fmt.Fprintln(w, "no problems found")
		return
	}
	codes := make([]string, 0, len(s.ByCode))
	for c := range s.ByCode {
		codes = append(codes, string(c))
	}
	sort.Strings(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "  %-22s %d\n", c, s.ByCode[graph.Code(c)])
	}
	var parts []string
	for _, sev := range []string{"error", "warning", "information", "hint"} {
		if n := s.BySeverity[sev]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, plural(sev, n)))
		}
	}
	fmt.Fprintln(w, strings.Join(parts, ", "))
	if hidden > 0 {
		fmt.Fprintf(w, "(%d below the shown severity not listed: use --severity hint to see them)\n", hidden)
	}
}

func plural(sev string, n int) string {
	if n == 1 || sev == "information" {
		return sev
	}
	return sev + "s"
}

// displayPath shows a path relative to the working folder when it is below it.
func displayPath(cwd, p string) string {
	if cwd != "" {
		if rel, err := filepath.Rel(cwd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// orNil keeps the scanner's defaults when the flag was never given.
func (l listFlag) orNil() []string {
	if len(l) == 0 {
		return nil
	}
	return l
}

type severityFlag struct{ m graph.Severities }

func (f *severityFlag) String() string { return "" }
func (f *severityFlag) Set(s string) error {
	code, sev, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want CODE=SEVERITY, got %q", s)
	}
	level, ok := graph.ParseSeverity(sev)
	if !ok {
		return fmt.Errorf("unknown severity %q", sev)
	}
	known := false
	for _, c := range graph.Codes {
		known = known || string(c.Code) == code
	}
	if !known {
		return fmt.Errorf("unknown code %q", code)
	}
	if f.m == nil {
		f.m = graph.Severities{}
	}
	f.m[graph.Code(code)] = level
	return nil
}
