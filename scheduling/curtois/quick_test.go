package curtois

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/copbank/copbank/scheduling/solver"
)

func TestQuickTune(t *testing.T) {
	f := os.Getenv("CQ")
	if f == "" {
		t.Skip()
	}
	fh, _ := os.Open(f)
	in, err := Parse(fh)
	if err != nil {
		t.Fatal(err)
	}
	p := in.Problem()
	moves, _ := strconv.Atoi(os.Getenv("CQM"))
	hist, _ := strconv.Atoi(os.Getenv("CQH"))
	sol, err := solver.Solve(context.Background(), p, solver.Options{Seed: 1, MaxMoves: int64(moves), History: hist, SkipExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("construction %v final %v moves %d trace %d last %+v", sol.Construction, sol.Score, sol.Moves, len(sol.Trace), sol.Trace[len(sol.Trace)-1])
}
