package curtois

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/copbank/copbank/scheduling/curtois/check"
	"github.com/copbank/copbank/scheduling/solver"
)

var testdata = filepath.Join("..", "..", "testdata", "curtois")

func TestParseInstance1(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(testdata, "Instance1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if in.Horizon != 14 || len(in.Shifts) != 1 || len(in.Staff) != 8 {
		t.Fatalf("horizon %d shifts %d staff %d", in.Horizon, len(in.Shifts), len(in.Staff))
	}
	if n := len(in.OnRequests) + len(in.OffRequests); n != 26 {
		t.Errorf("%d requests, want 26", n)
	}
}

func TestParseRejectsBadInput(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"no horizon":      "SECTION_SHIFTS\nD,480,\n",
		"unknown shift":   "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,X\n",
		"short staff row": "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\nA,D=7,1,2\n",
	} {
		if _, err := Parse(strings.NewReader(text)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCheckerScoresTheEmptyRosterOfInstance1As7137(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile(filepath.Join(testdata, "Instance1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, id := range []string{"A", "B", "C", "D", "E", "F", "G", "H"} {
		b.WriteString(id + "\t" + strings.TrimSpace(strings.Repeat("- ", 14)) + "\n")
	}
	res, err := check.Check(text, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if res.Objective != 7137 || res.Feasible {
		t.Errorf("objective %d feasible %v, want 7137 and infeasible (min total minutes)", res.Objective, res.Feasible)
	}
}

func TestSolveInstances1To3AreFeasibleAndAgreeWithTheChecker(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Instance1", "Instance2", "Instance3"} {
		t.Run(name, func(t *testing.T) {
			res, roster, err := Solve(context.Background(), filepath.Join(testdata, name+".txt"), RunOptions{Seed: 1, MaxMoves: 1_000_000})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Feasible {
				t.Fatalf("checker: infeasible: %v", res.Violations)
			}
			if int64(res.Checked) != res.Objective {
				t.Fatalf("checker objective %d, solver %d", res.Checked, res.Objective)
			}
			if lines := bytes.Count(roster, []byte("\n")); lines == 0 {
				t.Fatal("empty roster")
			}
			t.Logf("%s: objective %d", name, res.Objective)
		})
	}
}

func TestRunPrintsTheTable(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	var buf bytes.Buffer
	err := Run(context.Background(), []string{filepath.Join(testdata, "Instance1.txt")},
		RunOptions{Seed: 1, MaxMoves: 200_000, OutDir: out, BestKnown: map[string]int{"Instance1": 607}}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Instance1") || !strings.Contains(buf.String(), "607") {
		t.Errorf("table:\n%s", buf.String())
	}
	roster, err := os.ReadFile(filepath.Join(out, "Instance1.roster"))
	if err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(string(roster), "\n", 2)[0]
	if id, cells, ok := strings.Cut(first, "\t"); !ok || id != "A" || len(strings.Fields(cells)) != 14 {
		t.Errorf("roster line %q", first)
	}
}

// TestTheObjectiveIsThatOfTheRosterWritten: a roster with two shifts on one
// day for an employee cannot be written in the benchmark's format; the
// solver's score of what is written is the checker's objective, where the
// score of the assignments themselves is not.
func TestTheObjectiveIsThatOfTheRosterWritten(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile(filepath.Join(testdata, "Instance2.txt")) // two shift types
	if err != nil {
		t.Fatal(err)
	}
	in, err := Parse(bytes.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	p := in.Problem()
	// The first employee on every slot of day 0 they can take: a double
	// booking wherever the day has two shift types.
	var as []solver.Assignment
	for s, sl := range p.Slots {
		if sl.Day == 0 && len(sl.Candidates) > 0 {
			as = append(as, solver.Assignment{Slot: s, Worker: sl.Candidates[0].Worker})
		}
	}
	kept := in.Rendered(p, as)
	if len(kept) >= len(as) {
		t.Fatalf("no double booking to render (%d assignments)", len(as))
	}
	ck, err := check.Check(text, in.Roster(p, as))
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := solver.Evaluate(p, as)
	written, _ := solver.Evaluate(p, kept)
	if written.Soft != int64(ck.Objective) {
		t.Errorf("score of the written roster %d, checker %d", written.Soft, ck.Objective)
	}
	if whole.Soft == written.Soft {
		t.Errorf("the double booking changed nothing (%d): the test does not test the rendering", whole.Soft)
	}
}
