package solver

// Limits: a worker's caps, minimums and targets over day windows (weekly_cap,
// max_shifts_per_week, max_weekends_per_4_weeks, target_hours_per_4_weeks, …
// as the product names them). A Limit counts minutes, shifts, worked days or
// worked weekends in its window; a hard one breaks by its deviation (an hour
// started for Minutes), a soft one costs Weight per unit.

// limitDev is the deviation of value v from the limit's bounds.
func limitDev(l *Limit, v int64) int64 {
	if l.Max >= 0 && v > int64(l.Max) {
		return v - int64(l.Max)
	}
	if v < int64(l.Min) {
		return int64(l.Min) - v
	}
	return 0
}

// limitPenalty is the hard magnitude or the soft penalty of value v.
func limitPenalty(l *Limit, v int64) int64 {
	dev := limitDev(l, v)
	if dev == 0 {
		return 0
	}
	if l.Hard {
		if l.Measure == Minutes {
			return (dev + 59) / 60
		}
		return dev
	}
	return l.Weight * dev
}

// counts reports whether a slot on day d of category cat counts towards a
// Minutes or Shifts limit whose window ends before day to.
func (l *Limit) counts(d, to, cat int) bool {
	return d >= l.From && d < to && (l.Category == AnyCategory || l.Category == cat)
}

// limitsScratch scores every limit of one worker from its slots and working days.
func limitsScratch(b *Breakdown, p *Problem, wk *Worker, mine []int, working []bool) {
	for i := range wk.Limits {
		l := &wk.Limits[i]
		to := l.To
		if to <= 0 || to > p.Days {
			to = p.Days
		}
		var v int64
		switch l.Measure {
		case Minutes, Shifts:
			for _, s := range mine {
				sl := &p.Slots[s]
				if l.counts(sl.Day, to, sl.Category) {
					if l.Measure == Minutes {
						v += sl.End - sl.Start
					} else {
						v++
					}
				}
			}
		case Days:
			for d := l.From; d < to; d++ {
				if working[d] {
					v++
				}
			}
		case Weekends:
			// Weekend k: the Saturday/Sunday of week k counted from the
			// Monday on or before day 0; it belongs to the window of its
			// first in-horizon day.
			for d := 0; d < p.Days; d++ {
				wdn := (p.FirstWeekday + d) % 7
				first := wdn == 5 || (wdn == 6 && d == 0)
				if !first || d < l.From || d >= to {
					continue
				}
				if working[d] || (wdn == 5 && d+1 < p.Days && working[d+1]) {
					v++
				}
			}
		}
		pen := limitPenalty(l, v)
		if pen == 0 {
			continue
		}
		if l.Hard {
			b.Hard[l.Name] += pen
		} else {
			b.Soft[l.Name] += pen
		}
	}
}

// addLimit adds v to a limit's rule or term; an hour of a hard Minutes limit
// weighs 1 in the search's hard cost, any other hard unit hourScale.
func (st *state) addLimit(l *climit, v int64) {
	switch {
	case l.Hard && l.Measure == Minutes:
		st.hard[l.id] += v
		st.hardSum += v
		st.hardCost += v
	case l.Hard:
		st.addHard(l.id, v)
	default:
		st.addSoft(l.id, v)
	}
}

// initLimits scores worker w's limits on an empty roster (unmet minimums).
func (st *state) initLimits(w int) {
	for i := range st.c.limits[w] {
		l := &st.c.limits[w][i]
		st.addLimit(l, limitPenalty(&l.Limit, 0))
	}
}

func (st *state) weekendWorked(w, k int) bool {
	sat, sun, _ := st.c.weekendDays(k)
	return (sat >= 0 && st.working(w, sat)) || (sun >= 0 && st.working(w, sun))
}

// weekendProbe is whether the weekend holding a day about to flip was
// worked before it does (k < 0: no weekend to watch).
type weekendProbe struct {
	k      int
	before bool
}

func (st *state) probeWeekend(w, d int, flip bool) weekendProbe {
	if !flip {
		return weekendProbe{k: -1}
	}
	pr := weekendProbe{k: st.c.weekendOf(d)}
	if pr.k >= 0 {
		pr.before = st.wkWorked[w*st.c.nWeekends+pr.k]
	}
	return pr
}

// settleWeekend records whether the probed weekend (k ≥ 0) is worked now
// and reports whether that changed.
func (st *state) settleWeekend(w int, pr weekendProbe) bool {
	after := st.weekendWorked(w, pr.k)
	st.wkWorked[w*st.c.nWeekends+pr.k] = after
	return after != pr.before
}

// toggleLimits adds sign × slot s (on day d) to worker w's limit values:
// flip says whether day d changed between worked and free, wkFlip whether
// weekend wk did.
func (st *state) toggleLimits(w, s, d int, sign int64, flip, wkFlip bool, wk int) {
	c := st.c
	ls := c.limits[w]
	cat := c.p.Slots[s].Category
	vals := st.limVal[st.limStart[w]:st.limStart[w+1]]
	var anchor int
	if wkFlip {
		_, _, anchor = c.weekendDays(wk)
	}
	for i := range ls {
		l := &ls[i]
		var dv int64
		switch l.Measure {
		case Weekends:
			if wkFlip && anchor >= l.From && anchor < l.To {
				dv = sign
			}
		case Days:
			if flip && d >= l.From && d < l.To {
				dv = sign
			}
		case Shifts:
			if l.counts(d, l.To, cat) {
				dv = sign
			}
		case Minutes:
			if l.counts(d, l.To, cat) {
				dv = sign * c.minutes[s]
			}
		}
		if dv == 0 {
			continue
		}
		v0 := vals[i]
		v1 := v0 + dv
		vals[i] = v1
		if dp := limitPenalty(&l.Limit, v1) - limitPenalty(&l.Limit, v0); dp != 0 {
			st.addLimit(l, dp)
		}
	}
}
