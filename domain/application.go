package domain

import (
	"fmt"
	"slices"
	"time"
)

// EStageRefused is the error code of a stage move that skips or repeats a
// stage, or comes after the application has ended (409).
const EStageRefused = "stage_refused"

// Stage is where an application stands in the recruitment pipeline.
type Stage string

const (
	StageSubmitted  Stage = "submitted"
	StageScreening  Stage = "screening"
	StageReferences Stage = "references"
	StageVetting    Stage = "vetting"
	StageTraining   Stage = "training"
	StageActive     Stage = "active"
	StageRejected   Stage = "rejected"
	StageWithdrawn  Stage = "withdrawn"
)

// pipeline is the order every application goes through; none is skipped
// and none revisited.
var pipeline = []Stage{StageSubmitted, StageScreening, StageReferences, StageVetting, StageTraining, StageActive}

// Stages lists every stage, the pipeline's first, in order.
func Stages() []Stage { return append(slices.Clone(pipeline), StageRejected, StageWithdrawn) }

// ValidStage reports a known stage.
func ValidStage(s Stage) bool { return slices.Contains(Stages(), s) }

// Ended reports a stage an application never leaves.
func (s Stage) Ended() bool { return s == StageActive || s == StageRejected || s == StageWithdrawn }

// NextStage is the pipeline stage after s; false when s has ended.
func NextStage(s Stage) (Stage, bool) {
	i := slices.Index(pipeline, s)
	if i < 0 || i+1 >= len(pipeline) {
		return "", false
	}
	return pipeline[i+1], true
}

// StageMover says who asks for a stage move: staff move an application
// along the pipeline or reject it; only the applicant withdraws.
type StageMover int

const (
	ByStaff StageMover = iota
	ByApplicant
)

// CheckStageMove is the one rule for moving an application from one stage to
// another: forward by exactly one pipeline stage (staff), or out of the
// pipeline before active — rejected by staff, withdrawn by the applicant. A
// skipped or repeated stage, or a move after the application has ended, is
// EStageRefused naming the stage it may move to.
func CheckStageMove(from, to Stage, by StageMover) error {
	if !ValidStage(to) {
		return FieldInvalid("stage", "must be one of: "+stageList(Stages()))
	}
	if from.Ended() {
		return &Error{Code: EStageRefused, Message: fmt.Sprintf("the application has ended (%s) and moves no further", from),
			Fields: []FieldError{{Field: "stage", Message: "no further stage is possible"}}}
	}
	next, _ := NextStage(from)
	switch {
	case to == StageWithdrawn && by == ByApplicant, to == StageRejected && by == ByStaff:
		return nil
	case to == StageWithdrawn:
		return FieldInvalid("stage", "only the applicant withdraws, through the link in their acknowledgement email")
	case by == ByApplicant:
		return Errorf(EForbidden, "an applicant may only withdraw")
	case to == next:
		return nil
	}
	return &Error{Code: EStageRefused,
		Message: fmt.Sprintf("an application at %s may move only to %s (or be rejected), not to %s", from, next, to),
		Fields:  []FieldError{{Field: "stage", Message: "may move to " + string(next)}}}
}

func stageList(ss []Stage) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += string(s)
	}
	return out
}

// Application is a member of the public's application to an opportunity.
// Its personal fields are anonymised on erasure (ErasedAt set).
type Application struct {
	ID              string
	OpportunityID   string
	Name            string
	Email           string
	Phone           string
	Postcode        string
	Motivation      string
	LivedExperience []string // lived: skill codes
	Stage           Stage
	StageAt         time.Time // when it reached its stage
	MemberID        string    // the member it made or joined, once active
	// WithdrawHash is the SHA-256 of the withdraw link's secret, which is
	// never stored; the link works once, until WithdrawExpiresAt.
	WithdrawHash      string
	WithdrawExpiresAt time.Time
	WithdrawUsedAt    *time.Time
	ErasedAt          *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// StageMove is one step of an application's history.
type StageMove struct {
	ID            string
	ApplicationID string
	From          Stage // "" for the submission
	To            Stage
	ByUserID      string // "" for the applicant
	ByLabel       string // the mover's roles, or "applicant"
	Note          string
	At            time.Time
}

// ApplicationFilter narrows an application list.
type ApplicationFilter struct {
	// ScopePaths keeps applications to opportunities whose area is at or
	// below one of these paths; nil means every application, empty none.
	ScopePaths    []string
	Stage         Stage
	OpportunityID string
	After         string
	Limit         int
}
