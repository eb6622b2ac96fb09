package app

import (
	"context"
	"slices"

	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling/solver"
)

// WhyNot says, for each place of a run on a position (one shift's when
// shiftID is set), why the member was not proposed there: the hard rules
// they fail, or the soft terms they lose on to the member proposed instead.
// It reads today's data, against the run's proposals. A run, member or
// place beyond the caller's reach is not found.
func (a *App) WhyNot(ctx context.Context, p *domain.Principal, runID, memberID, positionID, shiftID string) ([]domain.WhyNot, error) {
	run, err := a.GetMatchRun(ctx, p, runID)
	if err != nil {
		return nil, err
	}
	if run.Status != domain.MatchDone && run.Status != domain.MatchApplied {
		return nil, domain.Errorf(domain.EConflict, "this run is %s: ask again when it has finished", run.Status)
	}
	proposed := map[string]bool{}
	for _, pr := range run.Proposals {
		proposed[pr.MemberID] = true
	}
	mem, reach, err := a.reachMember(ctx, a.store, p, memberID)
	if err != nil && !proposed[memberID] {
		return nil, err
	}
	if reach != reachManage {
		if mem, err = a.store.MemberByID(ctx, memberID); err != nil {
			return nil, notFound("member")
		}
	}
	var asked []domain.MatchPlaceInfo
	type key struct{ shift, position string }
	var keys []key
	seen := map[key]bool{}
	add := func(shift, position string, info domain.MatchPlaceInfo) {
		k := key{shift, position}
		if position == positionID && (shiftID == "" || shift == shiftID) && !seen[k] {
			seen[k] = true
			keys, asked = append(keys, k), append(asked, info)
		}
	}
	for _, pr := range run.Proposals {
		add(pr.ShiftID, pr.PositionID, pr.MatchPlaceInfo)
	}
	for _, o := range run.Open {
		add(o.ShiftID, o.PositionID, o.MatchPlaceInfo)
	}
	if len(keys) == 0 {
		return nil, notFound("place in this run")
	}
	creator, err := a.creatorPrincipal(ctx, run.CreatedBy)
	if err != nil {
		return nil, err
	}
	paths, from, to, err := a.matchScope(ctx, creator, run.Params)
	if err != nil {
		return nil, err
	}
	model, err := a.buildMatch(ctx, paths, from, to, run.Params.Weights, memberID)
	if err != nil {
		return nil, err
	}
	slotOf := map[key]int{}
	for s, pl := range model.places {
		slotOf[key{pl.shift.ID, pl.position.ID}] = s
	}
	workerOf := map[string]int{}
	for w, m := range model.members {
		workerOf[m.ID] = w
	}
	// The run's proposals that still stand on today's data.
	var base []solver.Assignment
	for _, pr := range run.Proposals {
		s, ok1 := slotOf[key{pr.ShiftID, pr.PositionID}]
		w, ok2 := workerOf[pr.MemberID]
		if ok1 && ok2 {
			base = append(base, solver.Assignment{Slot: s, Worker: w})
		}
	}
	hours := model.hoursOf(base)
	baseScore, baseBreak := solver.Evaluate(model.problem, base)
	out := make([]domain.WhyNot, 0, len(keys))
	for i, k := range keys {
		ans := domain.WhyNot{MemberID: mem.ID, MemberName: mem.Name, ShiftID: k.shift, PositionID: k.position,
			MatchPlaceInfo: asked[i], Failed: []domain.WhyNotRule{}, Lost: []domain.WhyNotLoss{}}
		for _, pr := range run.Proposals {
			if pr.ShiftID == k.shift && pr.PositionID == k.position && pr.MemberID == mem.ID {
				ans.Proposed = true
			}
		}
		s, open := slotOf[k]
		w, active := workerOf[mem.ID]
		switch {
		case ans.Proposed:
		case !active:
			ans.Failed = whyNotRules([]string{domain.RuleMemberActive})
		case !open:
			ans.Failed = whyNotRules([]string{domain.RuleHasPlace})
		case len(model.failed[s]) > 0:
			ans.Failed = whyNotRules(model.failed[s])
		default:
			taken := 0
			for _, x := range append(slices.Clone(model.problem.Fixed), base...) {
				if x.Slot == s {
					taken++
				}
			}
			// On a place with room nobody was proposed in the member's
			// stead: adding them shows the rules they would break, if any.
			// On a full one, swapping them for each member proposed does.
			if taken < model.problem.Slots[s].Demand {
				with := append(slices.Clone(base), solver.Assignment{Slot: s, Worker: w})
				broken := []string{domain.NotChosen}
				if _, b := solver.Evaluate(model.problem, with); len(brokenRules(baseBreak, b)) > 0 {
					broken = brokenRules(baseBreak, b)
				}
				ans.Failed = whyNotRules(broken)
				break
			}
			for j, x := range base {
				if x.Slot != s {
					continue
				}
				alt := append(slices.Clone(base[:j]), base[j+1:]...)
				alt = append(alt, solver.Assignment{Slot: s, Worker: w})
				score, b := solver.Evaluate(model.problem, alt)
				if broken := brokenRules(baseBreak, b); len(broken) > 0 || score.Hard > baseScore.Hard {
					ans.Failed = whyNotRules(broken)
					continue
				}
				loss := domain.WhyNotLoss{ToMemberID: model.members[x.Worker].ID, ToMemberName: model.members[x.Worker].Name, Terms: []domain.MatchReason{}}
				for _, term := range domain.MatchWeightTerms {
					if d := b.Soft[term] - baseBreak.Soft[term]; d != 0 {
						loss.Terms = append(loss.Terms, model.reason(term, float64(d), s, w, hours))
					}
				}
				ans.Lost = append(ans.Lost, loss)
			}
			if len(ans.Failed) == 0 && len(ans.Lost) == 0 {
				ans.Failed = whyNotRules([]string{domain.RuleHasPlace}) // held by bookings, not by the run
			}
		}
		out = append(out, ans)
	}
	return out, nil
}

// brokenRules are the hard rules broken more in after than in before.
func brokenRules(before, after solver.Breakdown) []string {
	var out []string
	for r, v := range after.Hard {
		if v > before.Hard[r] {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

func whyNotRules(rules []string) []domain.WhyNotRule {
	words := domain.FailedWords(rules)
	out := make([]domain.WhyNotRule, len(rules))
	for i, r := range rules {
		out[i] = domain.WhyNotRule{Rule: r, Words: words[i]}
	}
	return out
}
