package domain

import (
	"math"
	"slices"
	"time"
)

// ActivitySuppressBelow is the smallest figure the public activity pages
// show exactly: a count or a number of hours below it could point at one
// person, so it is withheld.
const ActivitySuppressBelow = 3

// ActivityRecord is one attended booking of a shift that has taken place,
// as the public activity figures count it.
type ActivityRecord struct {
	ShiftID                string
	ProblemType            ProblemType
	Start, End             time.Time // the shift's times
	ActualStart, ActualEnd *time.Time
	MemberKinds            []Kind
}

// Hours is the time given: the attended times when both are recorded and
// make sense, otherwise the shift's own.
func (r ActivityRecord) Hours() float64 {
	if r.ActualStart != nil && r.ActualEnd != nil && r.ActualEnd.After(*r.ActualStart) {
		return r.ActualEnd.Sub(*r.ActualStart).Hours()
	}
	return r.End.Sub(r.Start).Hours()
}

// Bank reports hours given by a bank officer; a member of several kinds
// counts as the most demanding, as everywhere else.
func (r ActivityRecord) Bank() bool { return slices.Contains(r.MemberKinds, KindBankOfficer) }

// ActivityRow is one problem type's figures for a month. A nil figure is
// withheld because it is below ActivitySuppressBelow; Suppressed says the
// row has one.
type ActivityRow struct {
	ProblemType    ProblemType
	Shifts         *int
	VolunteerHours *float64
	BankHours      *float64
	Suppressed     bool
}

// MonthActivity is a calendar month's figures, by problem type.
type MonthActivity struct {
	Year  int
	Month time.Month
	// Current is the month now running; its figures cover only what has
	// already happened.
	Current bool
	Rows    []ActivityRow
}

// AreaActivity is what has been done in an area and everywhere below it:
// this month first, then last month.
type AreaActivity struct {
	Area   Area
	Months []MonthActivity
}

// SummariseActivity counts the records by problem type, in the order of
// ProblemTypes: the distinct shifts, and the hours of bank officers and of
// everyone else, each to one decimal place, withholding every figure below
// ActivitySuppressBelow. A problem type with no record has no row.
func SummariseActivity(records []ActivityRecord) []ActivityRow {
	type sums struct {
		shifts          map[string]bool
		volunteer, bank float64
	}
	by := map[ProblemType]*sums{}
	for _, r := range records {
		s, ok := by[r.ProblemType]
		if !ok {
			s = &sums{shifts: map[string]bool{}}
			by[r.ProblemType] = s
		}
		s.shifts[r.ShiftID] = true
		if r.Bank() {
			s.bank += r.Hours()
		} else {
			s.volunteer += r.Hours()
		}
	}
	var extra []ProblemType
	for pt := range by {
		if !slices.Contains(ProblemTypes, pt) {
			extra = append(extra, pt)
		}
	}
	slices.Sort(extra)
	order := append(slices.Clone(ProblemTypes), extra...)
	var rows []ActivityRow
	for _, pt := range order {
		s, ok := by[pt]
		if !ok {
			continue
		}
		row := ActivityRow{ProblemType: pt}
		if n := len(s.shifts); n >= ActivitySuppressBelow {
			row.Shifts = &n
		}
		row.VolunteerHours = shownHours(s.volunteer)
		row.BankHours = shownHours(s.bank)
		row.Suppressed = row.Shifts == nil || row.VolunteerHours == nil || row.BankHours == nil
		rows = append(rows, row)
	}
	return rows
}

func shownHours(h float64) *float64 {
	if h < ActivitySuppressBelow {
		return nil
	}
	r := math.Round(h*10) / 10
	return &r
}
