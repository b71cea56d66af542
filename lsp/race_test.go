//go:build race

package lsp_test

// raceEnabled builds the server under test with the race detector too
// when the tests run with -race.
const raceEnabled = true
