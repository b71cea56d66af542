//go:build unix

package main

import (
	"os"
	"syscall"
)

// childPeakRSS is a finished child's peak resident size in bytes, as the
// kernel counts it (ru_maxrss, in KiB on Linux).
func childPeakRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10
	}
	return 0
}
