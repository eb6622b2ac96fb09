package solver

// Pair terms: what one worker on one slot costs by itself, whatever else the
// roster holds. Preference (signed: a day the worker would rather not, or
// one they asked for), travel (distance from home) and cost (pay).

// pairScratch adds the weighted pair terms of assignment a; a pair that is
// not a candidate costs nothing.
func pairScratch(b *Breakdown, p *Problem, a Assignment) {
	wt := p.Weights
	for _, cd := range p.Slots[a.Slot].Candidates {
		if cd.Worker == a.Worker {
			b.Soft[TermPreference] += cd.Preference * wt.Preference
			b.Soft[TermTravel] += cd.DistanceKm * wt.DistancePerKm
			b.Soft[TermCost] += cd.Cost * wt.Cost
		}
	}
}

// togglePair adds sign × the pair terms of pr (weighted when compiled).
func (st *state) togglePair(pr *pair, sign int64) {
	c := st.c
	if pr.pref != 0 {
		st.addSoft(c.tPref, sign*pr.pref)
	}
	if pr.dist != 0 {
		st.addSoft(c.tTravel, sign*pr.dist)
	}
	if pr.cost != 0 {
		st.addSoft(c.tCost, sign*pr.cost)
	}
}
