package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckStageMove(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		from, to Stage
		by       StageMover
		code     string // "" = allowed
		next     string // the stage a refusal names
	}{
		{"staff move a submission to screening", StageSubmitted, StageScreening, ByStaff, "", ""},
		{"staff move training to active", StageTraining, StageActive, ByStaff, "", ""},
		{"a skipped stage is refused naming the next", StageSubmitted, StageVetting, ByStaff, EStageRefused, "may move to screening"},
		{"a repeated stage is refused naming the next", StageScreening, StageScreening, ByStaff, EStageRefused, "may move to references"},
		{"going back is refused", StageVetting, StageReferences, ByStaff, EStageRefused, "may move to training"},
		{"staff reject before active", StageVetting, StageRejected, ByStaff, "", ""},
		{"the applicant withdraws before active", StageTraining, StageWithdrawn, ByApplicant, "", ""},
		{"staff may not withdraw for the applicant", StageScreening, StageWithdrawn, ByStaff, EInvalid, ""},
		{"the applicant may not move the pipeline", StageSubmitted, StageScreening, ByApplicant, EForbidden, ""},
		{"nothing leaves active", StageActive, StageRejected, ByStaff, EStageRefused, "no further stage"},
		{"nothing leaves withdrawn", StageWithdrawn, StageWithdrawn, ByApplicant, EStageRefused, "no further stage"},
		{"an unknown stage is invalid", StageSubmitted, Stage("hired"), ByStaff, EInvalid, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckStageMove(c.from, c.to, c.by)
			if got := ErrorCode(err); got != c.code {
				t.Fatalf("code %q, want %q (%v)", got, c.code, err)
			}
			var e *Error
			if c.next != "" && (!errors.As(err, &e) || len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, c.next)) {
				t.Fatalf("the refusal does not say %q: %v", c.next, err)
			}
		})
	}
}
