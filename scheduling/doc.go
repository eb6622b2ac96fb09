// Package scheduling turns demand and availability into concrete time: it
// expands one-off and recurring series (RFC 5545 RRULE and exdates, in local
// wall time) into occurrences for the matcher and the use cases.
//
// It is pure: it imports only the standard library, github.com/teambition/rrule-go
// and copbank's domain package, never gorm, fiber, validator, db, app or web.
// It reads no clock ("now" is a parameter, see Limits), no randomness, no
// database, no logger, and keeps no globals beyond constants. Errors it
// returns are *domain.Error, naming the request field at fault ("rrule",
// "start_local", "exdates[2]", "until", …).
//
// # Recurrence and daylight saving
//
// A series is written in local wall time in a time zone: occurrences keep
// their clock time across daylight-saving changes (20:00 stays 20:00 in GMT
// and in BST). The rule is expanded on "floating" wall times (clock readings
// held as UTC, so rrule-go does no daylight-saving arithmetic), and only then
// is each wall time resolved in the zone by the RFC 5545 §3.3.5 rule:
//
//   - a wall time that does not exist, in the spring-forward gap, is read with
//     the UTC offset in force before the gap: 01:30 on 2027-03-28 in
//     Europe/London is 01:30 GMT, which clocks show as 02:30 BST;
//   - a wall time that occurs twice, in the fall-back hour, is the first of
//     the two, the earlier instant: 01:30 on 2027-10-31 in Europe/London is
//     01:30 BST (00:30 UTC), not 01:30 GMT.
//
// An occurrence's end is its start wall time plus the series' duration in
// wall-clock terms, resolved by the same rule, so a 22:00–06:00 shift stays
// 22:00–06:00 local and lasts 9 hours of real time on the October night and 7
// on the March night. Where the rule would put the end at or before the start
// (a short occurrence straddling the gap), the end is the start plus the
// duration in real time.
//
// # Which rules are accepted
//
// ValidateRRule documents the subset of RFC 5545 accepted: at most one
// occurrence a day at the start's clock time (no HOURLY, MINUTELY, SECONDLY,
// BYHOUR, BYMINUTE, BYSECOND), no DTSTART in the rule, COUNT or UNTIL but not
// both. ExpandAll (demand) additionally requires COUNT or UNTIL and refuses a
// series above its Limits rather than truncating it; ExpandBetween
// (availability) expands possibly endless series over a range of time.
package scheduling
