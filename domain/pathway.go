package domain

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// MilestoneKind is what a pathway milestone asks for.
type MilestoneKind string

const (
	MilestoneSkill  MilestoneKind = "skill"  // a skill held and valid today
	MilestoneCourse MilestoneKind = "course" // a completed enrolment on the course
	MilestoneHours  MilestoneKind = "hours"  // attended hours, optionally of one problem type
)

// Pathway is an ordered route of milestones, from joining to a role.
type Pathway struct {
	ID         string
	Name       string
	Milestones []Milestone
	CreatedBy  string
	CreatedAt  time.Time
}

// Milestone is one step of a pathway. Exactly the fields of its kind are set.
type Milestone struct {
	Kind        MilestoneKind
	SkillID     string
	SkillCode   string
	CourseID    string
	CourseCode  string
	Hours       float64
	ProblemType ProblemType // "" = attended hours of any problem type
}

// Record is what a member has done that pathways measure.
type Record struct {
	Skills []MemberSkill
	// CompletedCourses holds the IDs of courses with a completed enrolment.
	CompletedCourses map[string]bool
	// Hours is attended hours by problem type.
	Hours map[ProblemType]float64
}

// MilestoneProgress is one milestone and whether the member has met it; an
// unmet one says in words what it still needs.
type MilestoneProgress struct {
	Milestone
	Met   bool
	Needs string
}

// Progress is a member's way along one pathway. Next is the 0-based index of
// the first unmet milestone, nil when every one is met.
type Progress struct {
	Pathway    Pathway
	Milestones []MilestoneProgress
	Next       *int
}

// ProgressOn measures a member's record against a pathway on the given day.
func ProgressOn(p Pathway, r Record, today Date) Progress {
	out := Progress{Pathway: p, Milestones: make([]MilestoneProgress, len(p.Milestones))}
	for i, m := range p.Milestones {
		mp := MilestoneProgress{Milestone: m}
		switch m.Kind {
		case MilestoneSkill:
			mp.Met = skillValidOn(r.Skills, m.SkillCode, today)
			if !mp.Met {
				mp.Needs = fmt.Sprintf("the %s skill, held and in date", m.SkillCode)
			}
		case MilestoneCourse:
			mp.Met = r.CompletedCourses[m.CourseID]
			if !mp.Met {
				mp.Needs = fmt.Sprintf("completion of the %s course", m.CourseCode)
			}
		case MilestoneHours:
			done := r.hours(m.ProblemType)
			// Hours are compared to the minute so that float sums of
			// durations cannot leave a met milestone a hair short.
			left := math.Round((m.Hours-done)*60) / 60
			mp.Met = left <= 0
			if !mp.Met {
				mp.Needs = formatHours(left) + " more hours"
				if m.ProblemType != "" {
					mp.Needs += " of " + string(m.ProblemType)
				}
			}
		}
		if !mp.Met && out.Next == nil {
			next := i
			out.Next = &next
		}
		out.Milestones[i] = mp
	}
	return out
}

func (r Record) hours(pt ProblemType) float64 {
	if pt != "" {
		return r.Hours[pt]
	}
	var sum float64
	for _, h := range r.Hours {
		sum += h
	}
	return sum
}

func skillValidOn(held []MemberSkill, code string, day Date) bool {
	for _, h := range held {
		if h.Code == code && !day.Before(h.ObtainedOn) && (h.ExpiresOn == nil || day.Before(*h.ExpiresOn)) {
			return true
		}
	}
	return false
}

// formatHours writes hours to at most two decimal places, without trailing
// zeros: 12.5, 3, 0.25.
func formatHours(h float64) string {
	return strconv.FormatFloat(math.Round(h*100)/100, 'f', -1, 64)
}
