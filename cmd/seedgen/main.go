// Command seedgen writes a synthetic benchmark corpus for seedls: entity
// files in the format of the real exports and writer documents citing them.
//
//	seedgen -n 10000 [-docs N] [-seed S] [-truth] [-force] -o DIR
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/seedls/seedls/graph/gen"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "seedgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("seedgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 10000, "number of entity files")
	docs := fs.Int("docs", 0, "number of writer documents (0: n/100, at least 1; negative: none)")
	seed := fs.Uint64("seed", 1, "random seed; the same flags always give the same bytes")
	out := fs.String("o", "", "output directory (required)")
	truth := fs.Bool("truth", false, "plant the cases resolution finds hard and write "+gen.TruthName+": what each neighbour names and the diagnostics each file should get")
	force := fs.Bool("force", false, "write into a non-empty directory, overwriting files of the same names and leaving others")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: seedgen -n 10000 [-docs N] [-seed S] [-truth] [-force] -o DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *out == "" {
		fs.Usage()
		return errors.New("-o DIR is required")
	}
	if *n < 1 {
		return errors.New("-n must be at least 1")
	}
	if !*force {
		entries, err := os.ReadDir(*out)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if len(entries) > 0 {
			return fmt.Errorf("%s is not empty (use -force to write into it anyway)", *out)
		}
	}

	start := time.Now()
	st, err := gen.WriteDirStats(*out, gen.Options{Entities: *n, Documents: *docs, Seed: *seed, Truth: *truth})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "seedgen: %d files, %d bytes (%.1f MB) in %s to %s\n",
		st.Files, st.Bytes, float64(st.Bytes)/1e6, time.Since(start).Round(time.Millisecond), *out)
	return nil
}
