package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

// The weekly "new shifts near you" digest: each active member
// hears of the shifts posted in the last week, in their areas, that they
// may book now (FindShifts' eligibility check, so skills, clearances,
// availability, leave and limits all count). Their areas are the local
// area around home (the home area's parent unless that is the whole force,
// so a neighbourhood's member hears of its local authority's shifts) and
// their preferred areas, each with what lies below it. A River periodic job
// sweeps weekly; the key (ISO week; member; channel) sends one a week.

// digestInterval is how often the digest sweep runs.
const digestInterval = 7 * 24 * time.Hour

// digestMaxShifts caps the shifts one digest lists.
const digestMaxShifts = 20

const eventDigest = "digest.weekly"

type digestSweepArgs struct{}

func (digestSweepArgs) Kind() string { return "digest_sweep" }

// SendDigests sends this week's digest to every active member with
// something in it and returns how many it handed on.
func (a *App) SendDigests(ctx context.Context) (int, error) {
	now := a.Now()
	year, week := now.UTC().ISOWeek()
	sent, after := 0, ""
	for {
		members, err := a.store.Members(ctx, domain.MemberFilter{After: after, Limit: 200})
		if err != nil {
			return sent, err
		}
		for _, m := range members {
			if err := ctx.Err(); err != nil {
				return sent, err
			}
			if m.Status != domain.MemberActive {
				continue
			}
			event := fmt.Sprintf("%s/%04d-W%02d", eventDigest, year, week)
			if silenced(ctx) {
				// The demo seed: this week's digest counts as sent, whatever it
				// would hold, without searching shifts for every member.
				n, _, err := a.tellMember(ctx, a.Log, m, memberNotice{kind: NoticeDigest, event: event, zone: a.Config.TimeZone})
				sent += n
				if err != nil {
					return sent, err
				}
				continue
			}
			// A sweep run again in the same week (a restart) searches only for
			// those whose digest has not gone by every channel they chose.
			done, err := a.store.SentChannels(ctx, event, m.ID)
			if err != nil {
				return sent, err
			}
			if !slices.ContainsFunc(m.Preferences.NoticeChannels(NoticeDigest), func(ch string) bool { return !slices.Contains(done, ch) }) {
				continue
			}
			shifts, err := a.DigestShifts(ctx, m)
			if err != nil {
				return sent, err
			}
			if len(shifts) == 0 {
				continue
			}
			n, held, err := a.tellMember(ctx, a.Log.With("job_kind", "digest_sweep"), m, memberNotice{kind: NoticeDigest,
				event: event, msg: a.digestMessage(shifts), zone: a.Config.TimeZone,
				smsText: fmt.Sprintf("copbank: %d new shift(s) near you that you can book: %s/shifts", len(shifts), a.Config.BaseURL)})
			sent += n
			if err != nil {
				return sent, err
			}
			if held != nil {
				if err := a.holdText(ctx, held); err != nil {
					return sent, err
				}
			}
		}
		if len(members) < 200 {
			return sent, nil
		}
		after = members[len(members)-1].ID
	}
}

// DigestShifts are the shifts member m's digest lists now, soonest first.
func (a *App) DigestShifts(ctx context.Context, m domain.Member) ([]ShiftView, error) {
	now := a.Now()
	codes, err := a.digestAreas(ctx, m)
	if err != nil {
		return nil, err
	}
	p := &domain.Principal{User: domain.User{ID: "digest:" + m.ID, Roles: []domain.Role{domain.RoleMember}, MemberID: m.ID}}
	var out []ShiftView
	for _, code := range codes {
		views, err := a.FindShifts(ctx, p, ShiftQuery{Area: code, From: now, Eligible: true, Limit: 200})
		if domain.ErrorCode(err) == domain.EInvalid {
			continue // a preferred area since removed
		}
		if err != nil {
			return nil, err
		}
		for _, v := range views {
			if v.Demand.CreatedAt.Before(now.Add(-7*24*time.Hour)) || v.Shift.Status != domain.ShiftScheduled {
				continue
			}
			if slices.ContainsFunc(out, func(o ShiftView) bool { return o.Shift.ID == v.Shift.ID }) {
				continue
			}
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(x, y ShiftView) int { return x.Shift.Start.Compare(y.Shift.Start) })
	if len(out) > digestMaxShifts {
		out = out[:digestMaxShifts]
	}
	return out, nil
}

// digestAreas are the area codes m's digest searches.
func (a *App) digestAreas(ctx context.Context, m domain.Member) ([]string, error) {
	var codes []string
	if m.HomeAreaID != "" {
		home, err := a.store.AreaByID(ctx, m.HomeAreaID)
		if err != nil && domain.ErrorCode(err) != domain.ENotFound {
			return nil, err
		}
		code := home.Code
		if home.ParentID != "" {
			parent, err := a.store.AreaByID(ctx, home.ParentID)
			if err != nil && domain.ErrorCode(err) != domain.ENotFound {
				return nil, err
			}
			if err == nil && parent.Kind != domain.AreaForce {
				code = parent.Code
			}
		}
		if code != "" {
			codes = append(codes, code)
		}
	}
	for _, c := range m.Preferences.Areas {
		if c != "" && !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	return codes, nil
}

func (a *App) digestMessage(shifts []ShiftView) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "New shifts near you that you can book:\n\n")
	for _, v := range shifts {
		when := v.Shift.Start.In(a.zoneOf(v.Demand)).Format("Mon 2 Jan 2006 15:04")
		fmt.Fprintf(&b, "- %s, %s (%s): %s/shifts/%s\n", v.Demand.Title, when, v.Demand.AreaCode, a.Config.BaseURL, v.Shift.ID)
	}
	subject := fmt.Sprintf("%d new shift(s) near you", len(shifts))
	return Message{Subject: subject, Text: b.String(), Link: a.Config.BaseURL + "/shifts"}
}
