package curtois

import (
	"slices"
	"strconv"
	"strings"

	"github.com/copbank/copbank/scheduling/solver"
)

// Rule names of the exclusions the mapping makes statically.
const (
	RuleDaysOff   = "days_off"
	RuleMaxShifts = "max_shifts_type"
)

// Problem maps the instance onto the solver model: one slot per (day, shift)
// cover row with soft under/over cover, one slot a day per employee,
// forbidden successions by category, per-type caps, total minutes and
// weekends as hard limits, runs as hard run rules, days off and zero caps as
// static exclusions, and requests as pair preferences (an on-request is a
// constant cost minus its weight when granted). For a feasible roster the
// solver's soft score equals the benchmark objective.
func (in *Instance) Problem() *solver.Problem {
	H := in.Horizon
	nS := len(in.Shifts)
	p := &solver.Problem{Days: H, FirstWeekday: 0, OneSlotPerDay: true}
	p.Weights = solver.Weights{Preference: 1, PaidHoursFactor: 1}
	for _, s := range in.Shifts {
		p.Categories = append(p.Categories, s.ID)
	}
	p.Forbidden = make([][]bool, nS)
	for a, s := range in.Shifts {
		p.Forbidden[a] = make([]bool, nS)
		for _, b := range s.Forbidden {
			p.Forbidden[a][in.ShiftIndex(b)] = true
		}
	}
	for _, st := range in.Staff {
		w := solver.Worker{ID: st.ID, Runs: solver.Runs{MaxWork: st.MaxConsecutiveShifts,
			MinWork: st.MinConsecutiveShifts, MinOff: st.MinConsecutiveDaysOff}}
		for si, s := range in.Shifts {
			if m, ok := st.MaxShifts[s.ID]; ok && m > 0 && m < H {
				w.Limits = append(w.Limits, solver.Limit{Name: "max_shifts_" + s.ID, Measure: solver.Shifts,
					Category: si, Max: m, Hard: true})
			}
		}
		w.Limits = append(w.Limits,
			solver.Limit{Name: "total_minutes", Measure: solver.Minutes, Category: solver.AnyCategory,
				Min: st.MinTotalMinutes, Max: st.MaxTotalMinutes, Hard: true},
			solver.Limit{Name: "max_weekends", Measure: solver.Weekends, Category: solver.AnyCategory,
				Max: st.MaxWeekends, Hard: true})
		p.Workers = append(p.Workers, w)
	}
	pref := make(map[[3]int]int64) // (staff, day, shift) → preference
	for _, r := range in.OnRequests {
		pref[[3]int{r.Staff, r.Day, r.Shift}] -= int64(r.Weight)
		p.SoftOffset += int64(r.Weight)
	}
	for _, r := range in.OffRequests {
		pref[[3]int{r.Staff, r.Day, r.Shift}] += int64(r.Weight)
	}
	off := make([][]bool, len(in.Staff))
	for e := range in.Staff {
		off[e] = make([]bool, H)
		for _, d := range in.DaysOff[e] {
			off[e][d] = true
		}
	}
	cover := slices.Clone(in.Cover)
	slices.SortStableFunc(cover, func(a, b Cover) int {
		if a.Day != b.Day {
			return a.Day - b.Day
		}
		return a.Shift - b.Shift
	})
	for _, cv := range cover {
		s := in.Shifts[cv.Shift]
		sl := solver.Slot{ID: slotID(cv.Day, s.ID), Day: cv.Day, Start: int64(cv.Day) * 1440,
			End: int64(cv.Day)*1440 + int64(s.Minutes), Category: cv.Shift, Demand: cv.Requirement, Priority: 1,
			UnderWeight: int64(cv.WeightUnder), OverWeight: int64(cv.WeightOver), Excluded: map[string]int{}}
		for e, st := range in.Staff {
			if m, ok := st.MaxShifts[s.ID]; ok && m == 0 {
				sl.Excluded[RuleMaxShifts]++
				continue
			}
			if off[e][cv.Day] {
				sl.Excluded[RuleDaysOff]++
				continue
			}
			sl.Candidates = append(sl.Candidates, solver.Candidate{Worker: e, Preference: pref[[3]int{e, cv.Day, cv.Shift}]})
		}
		p.Slots = append(p.Slots, sl)
	}
	return p
}

func slotID(day int, shift string) string { return shift + "@" + strconv.Itoa(day) }

// Rendered is what of as the roster format can hold: one shift per
// employee and day, the last one listed where as has several (a roster
// that breaks one_shift_per_day). Roster writes exactly these, so scoring
// them gives the objective the benchmark's checker computes.
func (in *Instance) Rendered(p *solver.Problem, as []solver.Assignment) []solver.Assignment {
	at := make(map[[2]int]int, len(as)) // (employee, day) → index into as
	for i, a := range as {
		at[[2]int{a.Worker, p.Slots[a.Slot].Day}] = i
	}
	var out []solver.Assignment
	for i, a := range as {
		if at[[2]int{a.Worker, p.Slots[a.Slot].Day}] == i {
			out = append(out, a)
		}
	}
	return out
}

// Roster renders assignments of p (built by in.Problem) in the benchmark's
// roster format: one line per employee, its ID, a tab, then one
// space-separated cell per day holding the shift ID or "-" (see Rendered
// for a day with several).
func (in *Instance) Roster(p *solver.Problem, as []solver.Assignment) []byte {
	grid := make([][]string, len(in.Staff))
	for e := range grid {
		grid[e] = slices.Repeat([]string{"-"}, in.Horizon)
	}
	for _, a := range in.Rendered(p, as) {
		sl := &p.Slots[a.Slot]
		grid[a.Worker][sl.Day] = p.Categories[sl.Category]
	}
	var b strings.Builder
	for e, st := range in.Staff {
		b.WriteString(st.ID)
		b.WriteByte('\t')
		b.WriteString(strings.Join(grid[e], " "))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}
