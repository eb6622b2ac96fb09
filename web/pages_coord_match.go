package web

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The matcher's pages: a form that starts a run, the run's page (which
// reloads itself every two seconds while the run is queued or running, no
// JavaScript needed), its proposals with their reasons, the places left open
// with why, and Apply.

type matchFormData struct {
	Areas               choiceGroup
	From, To, TimeLimit inputField
	Earlier             []earlierRun
}

// earlierRun is a line of the list of earlier runs.
type earlierRun struct {
	ID, When, Dates, Areas, Status, Filled string
}

// earlierRuns lists the caller's earlier runs (every run for an admin),
// newest first.
func (s *Server) earlierRuns(c *fiber.Ctx) ([]earlierRun, error) {
	runs, err := s.app.MatchRuns(c.UserContext(), principal(c), "", 20)
	if err != nil {
		return nil, err
	}
	zone := s.app.Config.TimeZone
	var out []earlierRun
	for i, r := range runs {
		if i == 20 {
			break
		}
		areas := "Every area you coordinate"
		if len(r.Params.Areas) > 0 {
			areas = strings.Join(r.Params.Areas, ", ")
		}
		line := earlierRun{ID: r.ID, When: r.CreatedAt.In(zone).Format("Mon 2 Jan 2006, 15:04"), Dates: r.Params.From + " to " + r.Params.To,
			Areas: areas, Status: matchStatusWords[r.Status]}
		if r.Status == domain.MatchDone || r.Status == domain.MatchApplied {
			line.Filled = fmt.Sprintf("%d of %d places filled", r.Metrics.Filled, r.Metrics.Places)
		}
		out = append(out, line)
	}
	return out, nil
}

var matchStatusWords = map[domain.MatchRunStatus]string{
	domain.MatchQueued: "Waiting to start", domain.MatchRunning: "Searching", domain.MatchFailed: "Failed",
	domain.MatchDone: "Finished", domain.MatchApplied: "Applied",
}

// stopWords say why a run stopped searching.
var stopWords = map[string]string{
	domain.MatchStopMoves:     "made every move it was given",
	domain.MatchStopConverged: "could not improve",
	domain.MatchStopStalled:   "stopped improving",
	domain.MatchStopTimeLimit: "reached its time limit first, so another run may differ",
	domain.MatchStopCancelled: "was stopped",
}

func (s *Server) matchForm(c *fiber.Ctx, areas []string, from, to, limit string) (*matchFormData, error) {
	list, err := s.app.CoordinatedAreas(c.UserContext(), principal(c))
	if err != nil {
		return nil, err
	}
	var opts []choice
	for _, a := range list {
		opts = append(opts, choice{Value: a.Code, Label: a.Name + " (" + a.Code + ")"})
	}
	if limit == "" {
		limit = "60"
	}
	return &matchFormData{
		Areas: newGroup("areas", "Areas", "Leave all unticked to fill every area you coordinate", "checkbox", opts, areas),
		From:  inputField{ID: "from", Name: "from", Label: "From", Hint: "The first day to fill, for example 2027-01-04", Value: from, Type: "date", Class: "input-short"},
		To:    inputField{ID: "to", Name: "to", Label: "To", Hint: "The last day to fill; at most eight weeks after the first", Value: to, Type: "date", Class: "input-short"},
		TimeLimit: selectField("time_limit", "Longest time to search", "The search usually ends sooner, once it has made its moves; a run stopped by this limit may not repeat exactly", limit, []choice{
			{Value: "1", Label: "1 second"}, {Value: "5", Label: "5 seconds"}, {Value: "15", Label: "15 seconds"}, {Value: "30", Label: "30 seconds"},
			{Value: "60", Label: "1 minute"}, {Value: "300", Label: "5 minutes"}}),
	}, nil
}

func (s *Server) matchFormPage(c *fiber.Ctx) error {
	zone := s.app.Config.TimeZone
	today := s.app.Now().In(zone)
	d, err := s.matchForm(c, nil, today.Format("2006-01-02"), today.AddDate(0, 0, 13).Format("2006-01-02"), "")
	if err != nil {
		return err
	}
	if d.Earlier, err = s.earlierRuns(c); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "coord_match", pageView{Title: "Run the matcher", Nav: "match", Data: d})
}

// matchFields maps the app's match parameters to the form's inputs.
var matchFields = map[string]pageField{
	"":              {ID: "from", Label: "The first day"},
	"from":          {ID: "from", Label: "The first day"},
	"to":            {ID: "to", Label: "The last day"},
	"areas":         {ID: "areas", Label: "An area"},
	"time_limit_ms": {ID: "time_limit", Label: "The time to search"},
	"workers":       {ID: "time_limit", Label: "The time to search"},
}

// startMatch queues a run and shows its page.
func (s *Server) startMatch(c *fiber.Ctx) error {
	var areas []string
	for _, v := range c.Request().PostArgs().PeekMulti("areas") {
		areas = append(areas, string(v))
	}
	from, to, limit := strings.TrimSpace(c.FormValue("from")), strings.TrimSpace(c.FormValue("to")), c.FormValue("time_limit")
	d, err := s.matchForm(c, areas, from, to, limit)
	if err != nil {
		return err
	}
	errs := formErrors{}
	seconds, err := strconv.Atoi(limit)
	if err != nil {
		errs.add("time_limit", "Choose how long to search")
	}
	if len(errs) == 0 {
		run, err := s.app.StartMatchRun(c.UserContext(), principal(c), domain.MatchParams{Areas: areas, From: from, To: to, TimeLimitMs: seconds * 1000})
		if err == nil {
			return c.Redirect("/coord/match/"+run.ID, fiber.StatusSeeOther)
		}
		fields, ok := appFieldErrors(err, matchFields)
		if !ok {
			return err
		}
		for _, fe := range fields {
			errs.add(fe.Field, fe.Message)
		}
	}
	d.Areas.Error, d.From.Error, d.To.Error, d.TimeLimit.Error = errs["areas"], errs["from"], errs["to"], errs["time_limit"]
	return s.render(c, fiber.StatusUnprocessableEntity, "coord_match", pageView{Title: "Run the matcher", Nav: "match", Data: d,
		Errors: errs.summary([]string{"areas", "from", "to", "time_limit"})})
}

type proposalLine struct {
	Member, Shift, When, Position, Area string
	Reasons                             []string
}

type openLine struct {
	Shift, When, Position, Area, Places string
	Why                                 []string
}

type matchRunData struct {
	ID, Status, Summary, Error string
	Running, Done, Applied     bool
	Auto                       bool // reloading itself
	Percent                    int
	Metrics                    []metricLine
	Proposals                  []proposalLine
	Open                       []openLine
	AppliedCount, AppliedAs    string
	NotApplied                 []proposalLine
	// The why-not form: a member in the caller's scope and a place of the run.
	WhyMembers, WhyPlaces []choice
}

type metricLine struct{ Name, Value, Baseline string }

func matchPercent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

func (s *Server) matchRunPage(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	run, err := s.app.GetMatchRun(ctx, p, c.Params("id"))
	if err != nil {
		return err
	}
	data := matchRunData{ID: run.ID, Percent: int(math.Round(100 * run.Progress)), Error: run.Error}
	view := pageView{Title: "Match run", Nav: "match", Data: &data}
	switch run.Status {
	case domain.MatchQueued:
		data.Status, data.Running = "Waiting to start", true
	case domain.MatchRunning:
		data.Status, data.Running = "Searching", true
	case domain.MatchFailed:
		data.Status = "Failed"
	case domain.MatchDone:
		data.Status, data.Done = "Finished: review the proposals, then apply", true
	case domain.MatchApplied:
		data.Status, data.Applied = "Applied", true
	}
	if run.Status == domain.MatchDone || run.Status == domain.MatchApplied {
		m := run.Metrics
		data.Summary = fmt.Sprintf("%d of %d open places filled.", m.Filled, m.Places)
		if m.Places > m.Filled {
			data.Summary += fmt.Sprintf(" %s left open.", countOf(m.Places-m.Filled, "place", "places"))
		}
		if m.OptimalFill {
			data.Summary += " Optimal fill: no roster that keeps every rule fills more."
		} else if m.FillBound > m.Filled {
			data.Summary += fmt.Sprintf(" At most %d could be filled.", m.FillBound)
		}
		if w, ok := stopWords[m.StopReason]; ok {
			data.Summary += fmt.Sprintf(" The search %s after %d moves.", w, m.Moves)
		}
		var fill, pw, gini string
		if b := m.Baseline; b != nil {
			fill, pw, gini = fmt.Sprintf("%d of %d", b.Filled, m.Places), matchPercent(b.PriorityWeightedFill), fmt.Sprintf("%.2f", b.FairnessGini)
		}
		data.Metrics = []metricLine{
			{Name: "Places filled", Value: fmt.Sprintf("%d of %d", m.Filled, m.Places), Baseline: fill},
			{Name: "Priority-weighted fill", Value: matchPercent(m.PriorityWeightedFill), Baseline: pw},
			{Name: "Fairness of hours (Gini: 0 is even, 1 is one person doing it all)", Value: fmt.Sprintf("%.2f", m.FairnessGini), Baseline: gini},
		}
		var ids []string
		for _, pr := range run.Proposals {
			ids = append(ids, pr.ShiftID)
		}
		for _, o := range run.Open {
			ids = append(ids, o.ShiftID)
		}
		labels, err := s.app.ShiftLabels(ctx, p, ids)
		if err != nil {
			return err
		}
		label := func(shiftID, positionID string, info domain.MatchPlaceInfo) (string, string, string, string) {
			l, ok := labels[shiftID]
			if !ok {
				return "A shift outside your areas", "", "", ""
			}
			area := ""
			if info.AreaCode != "" {
				area = info.AreaName + " (" + info.AreaCode + ")"
			}
			return l.Title, whenInZone(l.Zone, l.Start, l.End), l.Positions[positionID], area
		}
		placeSeen := map[string]bool{}
		addPlace := func(shiftID, positionID, shift, when, position string) {
			if v := shiftID + "/" + positionID; !placeSeen[v] && when != "" {
				placeSeen[v] = true
				data.WhyPlaces = append(data.WhyPlaces, choice{Value: v, Label: shift + ", " + when + " · " + position})
			}
		}
		for _, pr := range run.Proposals {
			line := proposalLine{Member: pr.MemberName}
			if line.Member == "" {
				line.Member = "A member outside your areas"
			}
			line.Shift, line.When, line.Position, line.Area = label(pr.ShiftID, pr.PositionID, pr.MatchPlaceInfo)
			for _, r := range pr.Reasons {
				line.Reasons = append(line.Reasons, sentence(domain.ReasonWords(r.Term, r.Penalty, r.Amount)))
			}
			data.Proposals = append(data.Proposals, line)
			addPlace(pr.ShiftID, pr.PositionID, line.Shift, line.When, line.Position)
		}
		for _, o := range run.Open {
			line := openLine{Places: countOf(o.Places, "place", "places") + " open"}
			line.Shift, line.When, line.Position, line.Area = label(o.ShiftID, o.PositionID, o.MatchPlaceInfo)
			addPlace(o.ShiftID, o.PositionID, line.Shift, line.When, line.Position)
			rules := make([]string, 0, len(o.Excluded))
			for r := range o.Excluded {
				rules = append(rules, r)
			}
			slices.SortFunc(rules, func(a, b string) int {
				if o.Excluded[a] != o.Excluded[b] {
					return o.Excluded[b] - o.Excluded[a]
				}
				return strings.Compare(a, b)
			})
			for _, r := range rules {
				line.Why = append(line.Why, app.ExclusionWords(r, o.Excluded[r]))
			}
			data.Open = append(data.Open, line)
		}
	}
	if rep := run.ApplyReport; rep != nil {
		as := "offers to the members"
		if rep.Status == domain.BookingConfirmed {
			as = "confirmed bookings"
		}
		data.AppliedCount, data.AppliedAs = countOf(rep.Applied, "proposal", "proposals"), as
		for _, na := range rep.NotApplied {
			line := proposalLine{Member: memberNameIn(run.Proposals, na.MemberID)}
			if l, ok := s.appliedLabel(c, na.ShiftID); ok {
				line.Shift, line.When = l[0], l[1]
			}
			line.Reasons = domain.FailedWords(na.Rules)
			data.NotApplied = append(data.NotApplied, line)
		}
	}
	if len(data.WhyPlaces) > 0 {
		members, err := s.app.Members(ctx, p, "", "", 500)
		if err != nil {
			return err
		}
		for _, m := range members {
			data.WhyMembers = append(data.WhyMembers, choice{Value: m.ID, Label: m.Name})
		}
	}
	if data.Running {
		// The page reloads itself every two seconds while the run works: no
		// JavaScript needed. An HTTP Refresh header rather than a meta
		// element, which axe-core counts against WCAG 2.2.1; "Stop updating"
		// turns it off (the same page, without the header).
		data.Auto = c.Query("auto") != "off"
		if data.Auto {
			c.Set("Refresh", "2")
		}
	}
	return s.render(c, fiber.StatusOK, "coord_match_run", view)
}

func (s *Server) appliedLabel(c *fiber.Ctx, shiftID string) ([2]string, bool) {
	labels, err := s.app.ShiftLabels(c.UserContext(), principal(c), []string{shiftID})
	l, ok := labels[shiftID]
	if err != nil || !ok {
		return [2]string{}, false
	}
	return [2]string{l.Title, whenInZone(l.Zone, l.Start, l.End)}, true
}

func memberNameIn(ps []domain.MatchProposal, memberID string) string {
	for _, p := range ps {
		if p.MemberID == memberID {
			return p.MemberName
		}
	}
	return "A member"
}

// applyMatch books the run's proposals (as offers, or confirmed when asked)
// and shows what was and was not applied.
func (s *Server) applyMatch(c *fiber.Ctx) error {
	id := c.Params("id")
	run, err := s.app.ApplyMatchRun(c.UserContext(), principal(c), id, c.FormValue("confirm") == "1")
	switch domain.ErrorCode(err) {
	case "":
		rep := run.ApplyReport
		msg := fmt.Sprintf("Applied %s.", countOf(rep.Applied, "proposal", "proposals"))
		if n := len(rep.NotApplied); n > 0 {
			msg += fmt.Sprintf(" %s no longer fitted: see below.", countOf(n, "proposal", "proposals"))
		}
		s.flash(c, msg)
	case domain.EConflict:
		s.flash(c, "Not applied: "+domain.ErrorMessage(err))
	default:
		return err
	}
	return c.Redirect("/coord/match/"+id, fiber.StatusSeeOther)
}

// sentence starts words with a capital letter.
func sentence(words string) string {
	if words == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(words)
	return string(unicode.ToUpper(r)) + words[n:]
}

type whyNotData struct {
	RunID, Member string
	Places        []whyNotPlace
}

type whyNotPlace struct {
	Shift, When, Position, Area string
	Proposed                    bool
	Failed                      []string
	Lost                        []whyNotLoss
}

type whyNotLoss struct {
	To    string
	Terms []string
}

// whyNotPage says why a member was not proposed for a place of a run.
func (s *Server) whyNotPage(c *fiber.Ctx) error {
	shiftID, positionID, _ := strings.Cut(c.Query("place"), "/")
	if c.Query("member_id") == "" || positionID == "" {
		return domain.Invalid("choose a member and a place", domain.FieldError{Field: "member_id", Message: "choose a member and a place"})
	}
	got, err := s.app.WhyNot(c.UserContext(), principal(c), c.Params("id"), c.Query("member_id"), positionID, shiftID)
	if err != nil {
		return err
	}
	zone := s.app.Config.TimeZone
	data := whyNotData{RunID: c.Params("id")}
	for _, w := range got {
		data.Member = w.MemberName
		pl := whyNotPlace{Shift: w.ShiftTitle, When: whenInZone(zone, w.Start, w.End), Position: w.PositionName, Proposed: w.Proposed}
		if w.AreaCode != "" {
			pl.Area = w.AreaName + " (" + w.AreaCode + ")"
		}
		for _, f := range w.Failed {
			pl.Failed = append(pl.Failed, sentence(f.Words))
		}
		for _, l := range w.Lost {
			loss := whyNotLoss{To: l.ToMemberName}
			for _, t := range l.Terms {
				loss.Terms = append(loss.Terms, sentence(domain.ReasonWords(t.Term, t.Penalty, t.Amount)))
			}
			pl.Lost = append(pl.Lost, loss)
		}
		data.Places = append(data.Places, pl)
	}
	return s.render(c, fiber.StatusOK, "coord_match_whynot", pageView{Title: "Why not " + data.Member, Nav: "match", Data: &data})
}
