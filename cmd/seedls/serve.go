package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/seedls/seedls/lsp"
)

// runServe is `seedls serve`: LSP over stdin and stdout.
func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	logFile := fl.String("log-file", "", "write logs to this file instead of stderr")
	logLevel := fl.String("log-level", "info", "debug, info, warn or error (the logLevel setting changes it later)")
	cpuProfile := fl.String("cpuprofile", "", "write a CPU profile of the session to this file (for development)")
	memProfile := fl.String("memprofile", "", "write an allocation profile of the session to this file at exit (for development)")
	indexWait := fl.Duration("index-wait", 10*time.Second, "how long a request waits for the workspace to be read before it is answered that it is being read")
	fl.Bool("stdio", true, "speak LSP over stdin and stdout (the only transport; accepted for editors that pass it)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	level := zap.NewAtomicLevel()
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "seedls serve: %v\n", err)
		return 2
	}
	var sink zapcore.WriteSyncer = zapcore.Lock(zapcore.AddSync(stderr))
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "seedls serve: %v\n", err)
			return 2
		}
		defer f.Close()
		sink = zapcore.Lock(f)
	}
	enc := zap.NewProductionEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	logger := zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(enc), sink, level))
	defer logger.Sync()

	// stdout is the protocol channel: keep it for the stream and point
	// os.Stdout at stderr, so that a stray print cannot corrupt a frame.
	if stdout == os.Stdout {
		os.Stdout = os.Stderr
	}
	if *cpuProfile != "" {
		if f, err := os.Create(*cpuProfile); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if *memProfile != "" {
		defer func() {
			if f, err := os.Create(*memProfile); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	logger.Info("seedls starting", zap.String("version", version), zap.Int("pid", os.Getpid()))
	opt := lsp.Options{Logger: logger, Level: &level, Version: version, IndexWait: *indexWait}
	// The search index is built by this same program in a child process
	// (see runIndex): its work stays out of the server's heap and cores.
	if exe, err := os.Executable(); err == nil {
		opt.IndexCommand = []string{exe, "index"}
	}
	code := lsp.Serve(context.Background(), stdin, stdout, opt)
	logger.Info("seedls exiting", zap.Int("code", code))
	return code
}
