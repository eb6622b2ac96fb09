package solver

import "testing"

// RandomProblem exposes randomProblem to the external tests.
func RandomProblem(tb testing.TB, seed uint64, hardOver bool) *Problem {
	return randomProblem(tb, seed, hardOver)
}
