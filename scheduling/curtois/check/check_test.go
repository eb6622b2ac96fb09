package check

import (
	"strings"
	"testing"
)

const tinyInstance = "SECTION_HORIZON\r\n7\r\n\r\nSECTION_SHIFTS\r\nD,480,\r\nN,600,D\r\n\r\n" +
	"SECTION_STAFF\r\nA,D=7|N=1,2400,960,3,2,2,0\r\n\r\nSECTION_DAYS_OFF\r\nA,0\r\n\r\n" +
	"SECTION_SHIFT_ON_REQUESTS\r\nA,1,D,2\r\n\r\nSECTION_SHIFT_OFF_REQUESTS\r\nA,2,N,3\r\n\r\n" +
	"SECTION_COVER\r\n1,D,1,100,1\r\n2,N,0,100,1\r\n"

func TestCheck(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, roster string
		obj          int
		violations   []string
	}{
		{"a roster inside every rule", "A\t- D D - - - -\n", 0, nil},
		{"a night followed by a day", "A\t- - N D - - -\n", 2 + 3 + 1 + 100, []string{"N on day 2 followed by D"}},
		{"work on a day off and a long run", "A\tD D D D - - -\n", 0, []string{"works on day off 0", "4 consecutive shifts"}},
		{"a short inner run, short rest and a weekend", "A\t- D D - D D D\n", 0, []string{"only 1 days off", "1 weekends > 0"}},
		{"too few minutes", "A\t- D - - - - -\n", 0, []string{"480 minutes outside"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Check([]byte(tinyInstance), []byte(c.roster))
			if err != nil {
				t.Fatal(err)
			}
			if res.Objective != c.obj {
				t.Errorf("objective %d, want %d", res.Objective, c.obj)
			}
			joined := strings.Join(res.Violations, "; ")
			for _, v := range c.violations {
				if !strings.Contains(joined, v) {
					t.Errorf("missing violation %q in %q", v, joined)
				}
			}
			if (len(c.violations) == 0) != res.Feasible {
				t.Errorf("feasible %v with violations %q", res.Feasible, joined)
			}
		})
	}
}

func TestCheckRejectsMalformedRosters(t *testing.T) {
	t.Parallel()
	for _, r := range []string{"A - D D - - - -\n", "A\t- D\n", "A\t- X D - - - -\n", "B\t- D D - - - -\n"} {
		if _, err := Check([]byte(tinyInstance), []byte(r)); err == nil {
			t.Errorf("roster %q accepted", r)
		}
	}
}
