package solver_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/copbank/copbank/scheduling/solver"
	"github.com/copbank/copbank/scheduling/solver/scale"
)

var update = flag.Bool("update", false, "rewrite testdata/determinism.golden from this code")

// goldenCase is one problem solved with a fixed seed and move budget.
type goldenCase struct {
	name string
	p    func(tb testing.TB) *solver.Problem
	opts solver.Options
}

func goldenCases() []goldenCase {
	var cases []goldenCase
	for seed := range uint64(12) {
		for _, hardOver := range []bool{false, true} {
			cases = append(cases, goldenCase{
				name: fmt.Sprintf("random seed %d hard-over %v", seed, hardOver),
				p:    func(tb testing.TB) *solver.Problem { return solver.RandomProblem(tb, seed, hardOver) },
				opts: solver.Options{Seed: seed, MaxMoves: 20_000, LateAcceptance: seed%3 == 2, Workers: 1 + int(seed%2)},
			})
		}
	}
	for seed := range uint64(2) {
		cases = append(cases, goldenCase{
			name: fmt.Sprintf("scale 800 members 600 shifts seed %d", seed+1),
			p: func(testing.TB) *solver.Problem {
				return scale.Generate(scale.Config{Members: 800, Shifts: 600, Seed: seed + 1})
			},
			opts: solver.Options{Seed: seed + 1, MaxMoves: 150_000},
		})
	}
	cases = append(cases, goldenCase{
		name: "bank fortnight two workers",
		p:    func(tb testing.TB) *solver.Problem { return readProblem(tb, bankFile) },
		opts: solver.Options{Seed: 9, Workers: 2, MaxMoves: 60_000},
	})
	return cases
}

// fingerprint hashes everything a solve returns (fmt prints maps in key
// order) and the from-scratch rescore of its roster.
func fingerprint(p *solver.Problem, sol *solver.Solution) string {
	h := sha256.New()
	fmt.Fprintf(h, "%+v\n", *sol)
	sc, b := solver.Evaluate(p, sol.Assignments)
	fmt.Fprintf(h, "%v %v %v\n", sc, b.Hard, b.Soft)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestSameSeedAndMovesGiveTheGoldenSolution pins the whole answer of a fixed
// seed and move budget, so a change meant to leave the search as it was (a
// restructuring, a faster evaluator) proves that it did.
func TestSameSeedAndMovesGiveTheGoldenSolution(t *testing.T) {
	t.Parallel()
	const file = "testdata/determinism.golden"
	want := map[string]string{}
	if !*update {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			name, sum, ok := strings.Cut(sc.Text(), "\t")
			if ok {
				want[name] = sum
			}
		}
	}
	var out strings.Builder
	for _, gc := range goldenCases() {
		p := gc.p(t)
		sol, err := solver.Solve(context.Background(), p, gc.opts)
		if err != nil {
			t.Fatalf("%s: %v", gc.name, err)
		}
		got := fingerprint(p, sol)
		fmt.Fprintf(&out, "%s\t%s\n", gc.name, got)
		if !*update && want[gc.name] != got {
			t.Errorf("%s: solution %s, golden %s (score %v after %d moves)", gc.name, got[:12], want[gc.name], sol.Score, sol.Moves)
		}
	}
	if *update {
		if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
