// Package scale generates synthetic bank-shaped rostering problems (members
// with kinds, skills, clearances, weekly availability and home locations;
// recurring demand over an area tree) for `copbank bench scale`, and runs the
// solver against the greedy baseline on them. Generation is pure and seeded;
// RunScale is a benchmark harness and reads the clock. It imports only
// scheduling/solver and, for the names of the product's rules, domain.
package scale

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling/solver"
)

// Config shapes a generated problem.
type Config struct {
	Members int    // N
	Shifts  int    // M: demand slots (positions of shifts) over the horizon
	Days    int    // horizon, a multiple of 7 (default 28)
	Seed    uint64 // generator seed
}

const (
	skills        = 10
	membersPerLAs = 330 // members per local authority
	lasPerForce   = 6
	hoodsPerLA    = 4
)

type point struct{ x, y float64 } // km

type member struct {
	home     point
	force    int
	kind     int // 0 volunteer, 1 bank officer, 2 mentor
	skills   uint16
	vetting  int
	travel   float64
	windows  [][3]int // weekday, start minute, length
	maxHours int
}

type area struct {
	centre point
	force  int
}

// Generate builds a problem shaped like one force (N≈2000) or a nation of
// forces (one force per ~2000 members). Eligibility is computed per slot
// against the members of its force only (a member of another force is
// counted under within_travel), so the candidate lists stay sparse.
func Generate(cfg Config) *solver.Problem {
	if cfg.Days <= 0 {
		cfg.Days = 28
	}
	cfg.Days = (cfg.Days + 6) / 7 * 7
	r := rand.New(rand.NewPCG(cfg.Seed, 0x5ca1e))
	forces := max(1, (cfg.Members+1999)/2000)
	// Area tree: force > local authority > neighbourhood; forces 200 km apart.
	var hoods []area
	for f := range forces {
		fc := point{float64(f%5) * 200, float64(f/5) * 200}
		for range lasPerForce {
			lc := point{fc.x + r.Float64()*40 - 20, fc.y + r.Float64()*40 - 20}
			for range hoodsPerLA {
				hoods = append(hoods, area{point{lc.x + r.Float64()*8 - 4, lc.y + r.Float64()*8 - 4}, f})
			}
		}
	}
	hoodsOf := make([][]int, forces)
	for i, h := range hoods {
		hoodsOf[h.force] = append(hoodsOf[h.force], i)
	}
	w := solver.DefaultWeights()
	p := &solver.Problem{Days: cfg.Days, FirstWeekday: 0, Categories: []string{"day", "evening", "night"}, Weights: w}
	ms := make([]member, cfg.Members)
	byForce := make([][]int, forces)
	for i := range ms {
		m := &ms[i]
		m.force = i * forces / max(cfg.Members, 1)
		byForce[m.force] = append(byForce[m.force], i)
		h := hoods[hoodsOf[m.force][r.IntN(len(hoodsOf[m.force]))]]
		m.home = point{h.centre.x + r.NormFloat64()*2, h.centre.y + r.NormFloat64()*2}
		switch x := r.IntN(10); {
		case x < 6:
			m.kind, m.maxHours = 0, 16
		case x < 9:
			m.kind, m.maxHours = 1, 48
		default:
			m.kind, m.maxHours = 2, 8
		}
		for s := range skills {
			if r.IntN(10) < 3 {
				m.skills |= 1 << s
			}
		}
		m.vetting = r.IntN(4)
		m.travel = 5 + r.Float64()*20
		if r.IntN(5) > 0 { // 80% registered weekly availability
			for range 2 + r.IntN(4) {
				m.windows = append(m.windows, [3]int{r.IntN(7), 60 * (6 + r.IntN(12)), 60 * (4 + r.IntN(9))})
			}
		}
		wk := solver.Worker{ID: fmt.Sprintf("m%d", i), OfferedTime: len(m.windows) > 0}
		if m.kind == 1 {
			wk.MinRestMinutes = 11 * 60
		}
		for week := 0; week < cfg.Days/7; week++ {
			wk.Limits = append(wk.Limits, solver.Limit{Name: domain.RuleWeeklyCap, Measure: solver.Minutes,
				Category: solver.AnyCategory, From: 7 * week, To: 7*week + 7, Max: m.maxHours * 60, Hard: true})
			if r.IntN(3) == 0 {
				wk.Limits = append(wk.Limits, solver.Limit{Name: domain.RuleMaxShiftsPerWeek, Measure: solver.Shifts,
					Category: solver.AnyCategory, From: 7 * week, To: 7*week + 7, Max: 1 + r.IntN(3), Hard: true})
			}
		}
		for from := 0; from+28 <= cfg.Days; from += 28 {
			if r.IntN(3) == 0 {
				wk.Limits = append(wk.Limits, solver.Limit{Name: domain.RuleMaxWeekendsPer4Weeks, Measure: solver.Weekends,
					Category: solver.AnyCategory, From: from, To: from + 28, Max: 1 + r.IntN(2), Hard: true})
			}
			if m.kind == 1 {
				t := 60 * (20 + r.IntN(40))
				wk.Limits = append(wk.Limits, solver.Limit{Name: domain.TermTargetHoursPer4Weeks, Measure: solver.Minutes,
					Category: solver.AnyCategory, From: from, To: from + 28, Min: t, Max: t, Weight: max(w.TargetPerHour/60, 1)})
			}
		}
		if r.IntN(4) == 0 {
			wk.Runs = solver.Runs{MaxWork: 3 + r.IntN(3), MinOff: r.IntN(2) + 1}
		}
		p.Workers = append(p.Workers, wk)
	}
	// Recurring demand: weekly series, one occurrence per week.
	weeks := cfg.Days / 7
	for len(p.Slots) < cfg.Shifts {
		f := r.IntN(forces)
		h := hoods[hoodsOf[f][r.IntN(len(hoodsOf[f]))]]
		wd := r.IntN(7)
		startMin := []int{8, 10, 14, 18, 20}[r.IntN(5)] * 60
		length := 60 * (3 + r.IntN(6))
		prio := 1 + r.IntN(5)
		kinds := uint8(1 << r.IntN(3))
		if r.IntN(2) == 0 {
			kinds |= 1 // volunteers welcome
		}
		var need uint16
		for range r.IntN(3) {
			need |= 1 << r.IntN(skills)
		}
		vet := r.IntN(3)
		head := 1 + r.IntN(3)
		series := fmt.Sprintf("series%d", len(p.Slots))
		cat := 0
		if startMin >= 18*60 {
			cat = 1
		}
		if startMin+length > 24*60 {
			cat = 2
		}
		for wk := 0; wk < weeks && len(p.Slots) < cfg.Shifts; wk++ {
			day := 7*wk + wd
			st := int64(day*1440 + startMin)
			sl := solver.Slot{ID: fmt.Sprintf("s%d", len(p.Slots)), Day: day, Start: st, End: st + int64(length),
				Category: cat, Demand: head, Priority: prio, UnderWeight: w.Unfilled(prio), HardOver: true,
				Paid: kinds&2 != 0, Series: series, Excluded: map[string]int{}}
			if other := cfg.Members - len(byForce[f]); other > 0 {
				sl.Excluded[domain.RuleWithinTravel] += other
			}
			for _, mi := range byForce[f] {
				m := &ms[mi]
				ok := true
				fail := func(rule string) { sl.Excluded[rule]++; ok = false }
				if kinds&(1<<m.kind) == 0 {
					fail(domain.RuleKindAllowed)
				}
				if m.skills&need != need {
					fail(domain.RuleSkillsValid)
				}
				if m.vetting < vet {
					fail(domain.RuleVettingValid)
				}
				dist := math.Hypot(m.home.x-h.centre.x, m.home.y-h.centre.y)
				if dist > m.travel {
					fail(domain.RuleWithinTravel)
				}
				if len(m.windows) > 0 && !inWindow(m.windows, wd, startMin, length) {
					fail(domain.RuleInAvailability)
				}
				if !ok {
					continue
				}
				c := solver.Candidate{Worker: mi, DistanceKm: int64(dist)}
				if sl.Paid && m.kind == 1 {
					c.Cost = int64(length / 60 * (12 + m.vetting))
				}
				if r.IntN(10) == 0 {
					c.Preference = int64(r.IntN(3) - 1)
				}
				sl.Candidates = append(sl.Candidates, c)
			}
			p.Slots = append(p.Slots, sl)
		}
	}
	return p
}

func inWindow(ws [][3]int, wd, start, length int) bool {
	for _, w := range ws {
		if w[0] == wd && start >= w[1] && start+length <= w[1]+w[2] {
			return true
		}
	}
	return false
}
