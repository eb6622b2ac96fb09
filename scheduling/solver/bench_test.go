package solver_test

import (
	"context"
	"testing"

	"github.com/copbank/copbank/scheduling/solver"
	"github.com/copbank/copbank/scheduling/solver/scale"
)

func BenchmarkSolve(b *testing.B) {
	p := scale.Generate(scale.Config{Members: 2000, Shifts: 1500, Seed: 1})
	b.ResetTimer()
	for b.Loop() {
		if _, err := solver.Solve(context.Background(), p, solver.Options{Seed: 1, MaxMoves: 100_000, SkipExplain: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConstruction(b *testing.B) {
	p := scale.Generate(scale.Config{Members: 2000, Shifts: 1500, Seed: 1})
	b.ResetTimer()
	for b.Loop() {
		if _, err := solver.Solve(context.Background(), p, solver.Options{Seed: 1, MaxMoves: 1, SkipExplain: true}); err != nil {
			b.Fatal(err)
		}
	}
}
