package domain

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Rule and term names: the one place each is spelled. They appear in
// refusals, in problem details, in the matcher's scores and explanations and
// on the pages (through Catalogue).
const (
	// Booking rules, checked on every booking and by the matcher.
	RuleShiftOpen         = "shift_open"
	RuleMemberActive      = "member_active"
	RuleKindAllowed       = "kind_allowed"
	RuleSkillsValid       = "skills_valid"
	RuleVettingValid      = "vetting_valid"
	RuleDBSValid          = "dbs_valid"
	RuleNoOverlap         = "no_overlap"
	RuleMinRest           = "min_rest"
	RuleWeeklyCap         = "weekly_cap"
	RuleNotOnLeave        = "not_on_leave"
	RuleSelfBookingClosed = "self_booking_closed"
	RuleAlreadyBooked     = "already_booked"
	RuleHasPlace          = "has_place"
	RuleSupervised        = "supervised"

	// Rules only the matcher applies: a member may still book outside their
	// availability, further than they said they travel, or past their own
	// limits on shifts, runs and weekends.
	RuleInAvailability        = "in_availability"
	RuleWithinTravel          = "within_travel"
	RuleMaxShiftsPerWeek      = "max_shifts_per_week"
	RuleMaxConsecutiveDays    = "max_consecutive_days"
	RuleMinConsecutiveDays    = "min_consecutive_days"
	RuleMinDaysOffBetweenRuns = "min_days_off_between_runs"
	RuleMaxWeekendsPer4Weeks  = "max_weekends_per_4_weeks"
	RuleOneShiftPerDay        = "one_shift_per_day"
	RuleForbiddenSuccession   = "forbidden_succession"

	// Soft terms of the matcher's score: they weigh, never forbid.
	TermUnfilled             = "unfilled"
	TermOverCover            = "over_cover"
	TermPreference           = "preference"
	TermTravel               = "travel"
	TermCost                 = "cost"
	TermFairness             = "fairness"
	TermContinuity           = "continuity"
	TermTargetHoursPer4Weeks = "target_hours_per_4_weeks"

	// Lone-working duty rules: when on and off duty may be booked.
	RuleLoneWorking     = "lone_working"
	RuleDutyConfirmed   = "duty_booking_confirmed"
	RuleOnDutyWindow    = "on_duty_window"
	RuleOnDutyFirst     = "on_duty_first"
	RuleOffDutyRecorded = "off_duty_recorded"

	// NotChosen counts, for a place the matcher left open, the members who
	// could have taken it without breaking a rule: not a rule, a reason.
	NotChosen = "not_chosen"
)

// Rule is one entry of the catalogue: a rule (hard: it must hold) or a soft
// term of the matcher's score, with its words.
type Rule struct {
	Name string
	Hard bool
	// Failed says in plain words that the rule fails (a soft term: that an
	// assignment costs under it); Met that it holds (a soft term: that an
	// assignment gains under it).
	Failed, Met string
	// Remedy, when set, says what the member can do when the rule refuses them.
	Remedy string
}

// Catalogue lists every rule and term name a refusal, a score or a page can
// show.
var Catalogue = []Rule{
	{RuleShiftOpen, true, "the shift has started or been cancelled", "the shift is open and has not started", ""},
	{RuleMemberActive, true, "the member is not active", "the member is active", ""},
	{RuleKindAllowed, true, "this position is not open to the member's kind", "the position is open to the member's kind", ""},
	{RuleSkillsValid, true, "a required skill is missing or expires before the shift ends", "every required skill is held until the shift ends", ""},
	{RuleVettingValid, true, "the vetting level is too low, suspended or expires before the shift ends", "the vetting level is high enough and valid until the shift ends", ""},
	{RuleDBSValid, true, "a required DBS check is missing or expired", "every required DBS check is held", ""},
	{RuleNoOverlap, true, "it overlaps another booking", "it overlaps no other booking", ""},
	{RuleMinRest, true, "it leaves too little rest after or before another booking", "it leaves enough rest either side", ""},
	{RuleWeeklyCap, true, "it would take the week's hours over the weekly cap", "the week's hours stay within the weekly cap", ""},
	{RuleNotOnLeave, true, "the member is on leave", "the member is not on leave", ""},
	{RuleSelfBookingClosed, true, "this shift is assigned by coordinators only", "the shift is open to self-booking", ""},
	{RuleAlreadyBooked, true, "the member already holds or is waiting for this place", "the member does not already hold this place", ""},
	{RuleHasPlace, true, "no places are left", "a place is free", "join the waitlist to be offered the next one that frees"},
	{RuleSupervised, true, "a conditional clearance needs a supervisor with a confirmed place on the shift, and none is booked",
		"no supervision is needed, or a supervisor is booked for the whole shift", "ask the coordinator to book a supervisor first"},

	{RuleInAvailability, true, "outside the times they said they are free", "inside the times they said they are free", ""},
	{RuleWithinTravel, true, "lives further away than they travel", "lives within the distance they travel", ""},
	{RuleMaxShiftsPerWeek, true, "would go over their shifts a week", "stays within their shifts a week", ""},
	{RuleMaxConsecutiveDays, true, "would work too many days in a row", "works no more days in a row than they allow", ""},
	{RuleMinConsecutiveDays, true, "would work too few days in a row", "works enough days in a row", ""},
	{RuleMinDaysOffBetweenRuns, true, "would have too few days off between runs of shifts", "has enough days off between runs of shifts", ""},
	{RuleMaxWeekendsPer4Weeks, true, "would work too many weekends in four weeks", "works no more weekends in four weeks than they allow", ""},
	{RuleOneShiftPerDay, true, "already has a shift that day", "has no other shift that day", ""},
	{RuleForbiddenSuccession, true, "the shift follows another too closely", "the shift follows no other too closely", ""},

	{TermUnfilled, false, "leaves a place unfilled", "fills a place", ""},
	{TermOverCover, false, "more people than needed", "no more people than needed", ""},
	{TermPreference, false, "a day or time the member would rather not work", "the member's preferred days and times", ""},
	{TermTravel, false, "further from home", "closer to home", ""},
	{TermCost, false, "pay band cost", "a cheaper pay band", ""},
	{TermFairness, false, "spreads hours less fairly", "spreads hours fairly", ""},
	{TermContinuity, false, "new to this series", "has done this series before", ""},
	{TermTargetHoursPer4Weeks, false, "away from the member's target hours", "towards the member's target hours", ""},
	{RuleLoneWorking, true, "the shift is not marked lone working, so there is no on or off duty to book", "the shift is lone working", ""},
	{RuleDutyConfirmed, true, "only a confirmed booking books on and off duty", "the booking is confirmed", ""},
	{RuleOnDutyWindow, true, "on duty opens 30 minutes before the shift starts", "on duty is open", "book on duty again from 30 minutes before the start"},
	{RuleOnDutyFirst, true, "off duty follows on duty: book on duty first", "on duty is booked", ""},
	{RuleOffDutyRecorded, true, "off duty is already booked for this shift", "off duty is not yet booked", ""},

	{NotChosen, false, "could take it but were not chosen", "", ""},
}

var catalogueByName = func() map[string]Rule {
	m := make(map[string]Rule, len(Catalogue))
	for _, r := range Catalogue {
		m[r.Name] = r
	}
	return m
}()

// RuleNamed returns the catalogue entry of a rule or term name.
func RuleNamed(name string) (Rule, bool) {
	r, ok := catalogueByName[name]
	return r, ok
}

// FailedWords gives each failed rule in plain words, in the order given; a
// name missing from the catalogue is shown with spaces for underscores.
func FailedWords(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = failedWords(n)
	}
	return out
}

func failedWords(name string) string {
	if r, ok := catalogueByName[name]; ok {
		return r.Failed
	}
	return strings.ReplaceAll(name, "_", " ")
}

// MetWords gives, in plain words, every booking rule that is not in failed,
// in BookingRules order.
func MetWords(failed []string) []string {
	var out []string
	for _, r := range BookingRules {
		if !slices.Contains(failed, r) {
			out = append(out, catalogueByName[r].Met)
		}
	}
	return out
}

// TermWords says in plain words what a soft term did for an assignment whose
// penalty under it is penalty: its Met words when it gains (negative), its
// Failed words when it costs.
func TermWords(term string, penalty float64) string {
	r, ok := catalogueByName[term]
	switch {
	case !ok:
		return strings.ReplaceAll(term, "_", " ")
	case penalty < 0 && r.Met != "":
		return r.Met
	}
	return r.Failed
}

// termAmounts words a soft term with the small number behind it (%s): the
// first form when the assignment gains under the term, the second when it
// costs.
var termAmounts = map[string][2]string{
	TermUnfilled:             {"fills a place of priority %s", "leaves a place of priority %s open"},
	TermTravel:               {"lives %s km away", "lives %s km away"},
	TermFairness:             {"fewer hours than most in these weeks (%s h in all)", "more hours than most in these weeks (%s h in all)"},
	TermTargetHoursPer4Weeks: {"towards their target of %s hours in four weeks", "away from their target of %s hours in four weeks"},
	TermCost:                 {"a cheaper pay band (level %s)", "a dearer pay band (level %s)"},
}

// ReasonWords says in plain words what a soft term did for an assignment,
// with the small number behind it when there is one (amount nil: none).
func ReasonWords(term string, penalty float64, amount *float64) string {
	forms, ok := termAmounts[term]
	if !ok || amount == nil {
		return TermWords(term, penalty)
	}
	form := forms[1]
	if penalty < 0 {
		form = forms[0]
	}
	return fmt.Sprintf(form, strconv.FormatFloat(math.Round(*amount*10)/10, 'f', -1, 64))
}

// TermHasWords reports a soft term the catalogue can word.
func TermHasWords(term string) bool {
	r, ok := catalogueByName[term]
	return ok && !r.Hard
}
