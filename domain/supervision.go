package domain

import (
	"slices"
	"time"
)

// SupervisorSkill is the skill code of those who may supervise members
// holding a conditional clearance. It is an ordinary catalogue skill: the
// vetting unit adds it like any other.
const SupervisorSkill = "supervisor"

// VettingHeldOn is the vetting_valid rule for one position: the member's
// own NPPV level suffices, or the position allows supervision, asks for
// NPPV1 at most and the member holds an active conditional clearance
// through the shift.
func VettingHeldOn(cs []Clearance, pos Position, s Shift, zone *time.Location) bool {
	return VettingHeld(cs, pos.MinVetting, s, zone) || conditionalCounts(cs, pos, s, zone)
}

// NeedsSupervision reports a member who passes vetting on the position only
// through a conditional clearance: they may hold the place only while a
// supervisor holds a confirmed one on the same shift.
func NeedsSupervision(cs []Clearance, pos Position, s Shift, zone *time.Location) bool {
	return !VettingHeld(cs, pos.MinVetting, s, zone) && conditionalCounts(cs, pos, s, zone)
}

func conditionalCounts(cs []Clearance, pos Position, s Shift, zone *time.Location) bool {
	if pos.Supervision != SupervisionAllowed || VettingLevel(pos.MinVetting) > VettingLevel(NPPV1) {
		return false
	}
	return slices.ContainsFunc(cs, func(c Clearance) bool { return c.Type == Conditional && clearanceCovers(c, s, zone) })
}

// CanSupervise reports a member whose supervisor skill is held through the
// whole shift.
func CanSupervise(skills []MemberSkill, s Shift, zone *time.Location) bool {
	return SkillsHeld(skills, []string{SupervisorSkill}, s, zone)
}
