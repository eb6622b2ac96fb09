package domain

import (
	"slices"
	"time"
)

// BookingRules lists every booking rule in the order refusals report them.
var BookingRules = []string{RuleShiftOpen, RuleMemberActive, RuleKindAllowed, RuleSkillsValid,
	RuleVettingValid, RuleDBSValid, RuleNoOverlap, RuleMinRest, RuleWeeklyCap, RuleNotOnLeave,
	RuleSelfBookingClosed, RuleSupervised, RuleAlreadyBooked, RuleHasPlace}

// BookingCheck is everything the booking rules look at, gathered by the
// caller (under a lock on the member and the place when it will write).
type BookingCheck struct {
	Now        time.Time
	Member     Member
	Skills     []MemberSkill
	Clearances []Clearance
	Leave      []Leave
	Demand     Demand
	Position   Position
	Shift      Shift
	Place      Place
	// Others are the member's active bookings on other places, near enough
	// in time to matter (the ISO week and the rest gap around the shift).
	Others []Booking
	// AlreadyHolds: the member has an active or waitlisted booking here.
	AlreadyHolds bool
	// SelfBooking: the member books for themselves (not a coordinator or the matcher).
	SelfBooking bool
	// Zone is the demand's time zone: ISO weeks and leave days are read in it.
	Zone *time.Location
	// Supervised: someone else with a valid supervisor skill holds a
	// confirmed place on the shift (see Supervision).
	Supervised bool
}

// CheckBooking returns every rule the booking fails, in BookingRules order;
// none means it may be made.
func CheckBooking(c BookingCheck) []string {
	failed := CheckEligibility(c)
	if c.AlreadyHolds {
		failed = append(failed, RuleAlreadyBooked)
	}
	if c.Place.Taken >= c.Place.Headcount {
		failed = append(failed, RuleHasPlace)
	}
	return failed
}

// CheckEligibility is CheckBooking without the place-level rules
// (already_booked, has_place): what decides whether the member could take
// this place at all, as a waitlist or a search shows it.
func CheckEligibility(c BookingCheck) []string {
	var failed []string
	fail := func(rule string, broken bool) {
		if broken {
			failed = append(failed, rule)
		}
	}
	zone := c.Zone
	if zone == nil {
		zone = time.UTC
	}
	fail(RuleShiftOpen, c.Shift.Status != ShiftScheduled || c.Demand.Status != DemandActive || !c.Now.Before(c.Shift.Start))
	fail(RuleMemberActive, c.Member.Status != MemberActive)
	fail(RuleKindAllowed, !slices.ContainsFunc(c.Position.Kinds, c.Member.HasKind))
	fail(RuleSkillsValid, !SkillsHeld(c.Skills, c.Position.Skills, c.Shift, zone))
	fail(RuleVettingValid, !VettingHeldOn(c.Clearances, c.Position, c.Shift, zone))
	fail(RuleDBSValid, !DBSHeld(c.Clearances, c.Position.DBS, c.Shift, zone))
	overlap, tooClose := restConflicts(c.Others, c.Shift, c.Member.MinRestHours)
	fail(RuleNoOverlap, overlap)
	fail(RuleMinRest, tooClose)
	fail(RuleWeeklyCap, WeekHours(c.Others, c.Shift.Start, zone)+c.Shift.Duration().Hours()+c.Member.ContractedHoursPerWeek > c.Member.MaxHoursPerWeek+1e-9)
	fail(RuleNotOnLeave, OnLeave(c.Leave, c.Shift, zone))
	fail(RuleSelfBookingClosed, c.SelfBooking && c.Demand.BookingMode == ModeAssigned)
	fail(RuleSupervised, NeedsSupervision(c.Clearances, c.Position, c.Shift, zone) && !c.Supervised)
	return failed
}

// heldThrough reports a holding from `from` until the first day no longer
// held (`until`, nil = forever) that covers the whole shift in zone.
func heldThrough(from Date, until *Date, s Shift, zone *time.Location) bool {
	if s.Start.Before(from.Start(zone)) {
		return false
	}
	return until == nil || !s.End.After(until.Start(zone))
}

// SkillsHeld reports whether every required skill code is held and unexpired
// through the shift's end.
func SkillsHeld(held []MemberSkill, required []string, s Shift, zone *time.Location) bool {
	for _, code := range required {
		if !slices.ContainsFunc(held, func(h MemberSkill) bool {
			return h.Code == code && heldThrough(h.ObtainedOn, h.ExpiresOn, s, zone)
		}) {
			return false
		}
	}
	return true
}

// VettingHeld reports an active NPPV clearance at or above min through the shift.
func VettingHeld(cs []Clearance, min ClearanceType, s Shift, zone *time.Location) bool {
	need := VettingLevel(min)
	if need == 0 {
		return true
	}
	return slices.ContainsFunc(cs, func(c Clearance) bool {
		return VettingLevel(c.Type) >= need && clearanceCovers(c, s, zone)
	})
}

// DBSHeld reports every required DBS check active through the shift.
func DBSHeld(cs []Clearance, required []ClearanceType, s Shift, zone *time.Location) bool {
	for _, t := range required {
		if !slices.ContainsFunc(cs, func(c Clearance) bool { return c.Type == t && clearanceCovers(c, s, zone) }) {
			return false
		}
	}
	return true
}

func clearanceCovers(c Clearance, s Shift, zone *time.Location) bool {
	expires := c.ExpiresOn
	return c.Status == ClearanceActive && heldThrough(c.GrantedOn, &expires, s, zone)
}

// restConflicts reports whether any other booking overlaps the shift, and
// whether any leaves less than minRestHours between them.
func restConflicts(others []Booking, s Shift, minRestHours float64) (overlap, tooClose bool) {
	rest := time.Duration(minRestHours * float64(time.Hour))
	for _, b := range others {
		if b.Start.Before(s.End) && s.Start.Before(b.End) {
			overlap = true
			continue
		}
		if rest > 0 && b.Start.Before(s.End.Add(rest)) && s.Start.Before(b.End.Add(rest)) {
			tooClose = true
		}
	}
	return overlap, tooClose
}

// ISOWeekStart is Monday 00:00 of the ISO week holding t, in zone.
func ISOWeekStart(t time.Time, zone *time.Location) time.Time {
	local := t.In(zone)
	offset := (int(local.Weekday()) + 6) % 7
	y, m, d := local.Date()
	return time.Date(y, m, d-offset, 0, 0, 0, 0, zone)
}

// WeekHours sums the hours of bookings that start in the ISO week (in zone)
// of t: an overnight shift belongs to the week of its start.
func WeekHours(bookings []Booking, t time.Time, zone *time.Location) float64 {
	weekStart := ISOWeekStart(t, zone)
	weekEnd := weekStart.AddDate(0, 0, 7)
	var hours float64
	for _, b := range bookings {
		if !b.Start.Before(weekStart) && b.Start.Before(weekEnd) {
			hours += b.Hours()
		}
	}
	return hours
}

// OnLeave reports whether any leave (whole days in zone) touches the shift.
func OnLeave(leave []Leave, s Shift, zone *time.Location) bool {
	return slices.ContainsFunc(leave, func(l Leave) bool {
		from, to := l.From.Start(zone), l.To.AddDays(1).Start(zone)
		return from.Before(s.End) && s.Start.Before(to)
	})
}
