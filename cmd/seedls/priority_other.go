//go:build !unix

package main

// lowerPriority is a no-op here: the index is built at normal priority.
func lowerPriority() {}
