//go:build unix

package main

import "syscall"

// lowerPriority makes this process yield the CPU to the server it works
// for (nice 10).
func lowerPriority() { _ = syscall.Setpriority(syscall.PRIO_PROCESS, 0, 10) }
