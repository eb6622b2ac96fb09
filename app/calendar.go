package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Calendar feeds: an unguessable address per member
// listing their bookings, and one per coordinator listing their areas'
// shifts. The token is 256 random bits; only its SHA-256 is stored, and a new
// token replaces the old one, whose address then answers 404.

const (
	feedTokenBytes = 32
	// feedEndedWindow is how long a cancelled (declined, expired, rejected)
	// booking stays in a member's feed, so calendars see the cancellation.
	feedEndedWindow = 30 * 24 * time.Hour
	// feedHeldWindow is how far back a member's held bookings are listed.
	feedHeldWindow = 365 * 24 * time.Hour
	// coordinatorFeedWeeks is how far ahead a coordinator's feed looks.
	coordinatorFeedWeeks = 8
	// feedMaxShifts caps a coordinator's feed.
	feedMaxShifts = 5000
)

// EventStatus is an event's standing in a calendar.
type EventStatus string

const (
	EventConfirmed EventStatus = "confirmed"
	EventTentative EventStatus = "tentative"
	EventCancelled EventStatus = "cancelled"
)

// CalendarEvent is one entry of a feed. Start and End are in Zone, the
// demand's time zone.
type CalendarEvent struct {
	UID         string
	Start, End  time.Time
	Zone        *time.Location
	Summary     string
	Location    string
	Description string
	Status      EventStatus
	Sequence    int
	Stamp       time.Time // when the entry last changed
}

// Calendar is a feed's content.
type Calendar struct {
	Name   string
	Events []CalendarEvent
}

// CalendarFeedURL is the address of the feed a token opens.
func (a *App) CalendarFeedURL(token string) string {
	return strings.TrimRight(a.Config.BaseURL, "/") + "/calendar/" + token + ".ics"
}

// NewMemberCalendarToken makes a new feed address for a member's bookings,
// replacing the old one. Only the member themselves or an admin may; a
// coordinator who manages the member is forbidden, anyone else is told there
// is no such member. It returns the feed's URL.
func (a *App) NewMemberCalendarToken(ctx context.Context, p *domain.Principal, memberID string) (string, error) {
	var url string
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		m, reach, err := a.reachMember(ctx, tx, p, memberID)
		if err != nil {
			return err
		}
		if reach != reachSelf && !p.IsAdmin() {
			return forbidden("only the member themselves or an admin may make a member's calendar address")
		}
		token, err := a.newFeed(ctx, tx, p, domain.CalendarFeed{Kind: domain.FeedMember, MemberID: m.ID})
		url = a.CalendarFeedURL(token)
		return err
	})
	return url, err
}

// NewCoordinatorCalendarToken makes a new feed address for the scheduled
// shifts of the caller's areas (every area for an admin), replacing the old
// one. Forbidden for anyone but a coordinator or an admin.
func (a *App) NewCoordinatorCalendarToken(ctx context.Context, p *domain.Principal) (string, error) {
	if !isCoordinating(p) {
		return "", forbidden("only a coordinator or an admin has a calendar of their areas' shifts")
	}
	var url string
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		token, err := a.newFeed(ctx, tx, p, domain.CalendarFeed{Kind: domain.FeedCoordinator, UserID: p.User.ID})
		url = a.CalendarFeedURL(token)
		return err
	})
	return url, err
}

// newFeed stores f with a fresh token in place of its owner's old feed and
// writes the audit entry; it returns the token.
func (a *App) newFeed(ctx context.Context, tx *db.Store, p *domain.Principal, f domain.CalendarFeed) (string, error) {
	secret := make([]byte, feedTokenBytes)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	token := hex.EncodeToString(secret)
	f.TokenHash, f.CreatedBy, f.CreatedAt = hashToken(token), p.User.ID, a.Now()
	replaced, err := tx.ReplaceCalendarFeed(ctx, f)
	if err != nil {
		return "", err
	}
	ev := auditEvent{action: "calendar_feed.create", entity: "calendar_feed",
		after: map[string]any{"kind": f.Kind, "replaced": replaced}}
	if f.Kind == domain.FeedMember {
		ev.entityID, ev.memberID = f.MemberID, f.MemberID
		ev.after.(map[string]any)["member_id"] = f.MemberID
	} else {
		ev.entityID = f.UserID
		ev.after.(map[string]any)["user_id"] = f.UserID
	}
	return token, a.audit(ctx, tx, p, ev)
}

// CalendarFeed reads the feed a token opens. An unknown or replaced token, a
// member erased or archived, and an account disabled or no longer
// coordinating are all not found.
func (a *App) CalendarFeed(ctx context.Context, token string) (Calendar, error) {
	missing := notFound("calendar feed")
	if len(token) != 2*feedTokenBytes {
		return Calendar{}, missing
	}
	f, err := a.store.CalendarFeedByHash(ctx, hashToken(token))
	if domain.ErrorCode(err) == domain.ENotFound {
		return Calendar{}, missing
	}
	if err != nil {
		return Calendar{}, err
	}
	switch f.Kind {
	case domain.FeedMember:
		return a.memberCalendar(ctx, f.MemberID, missing)
	case domain.FeedCoordinator:
		return a.coordinatorCalendar(ctx, f.UserID, missing)
	}
	return Calendar{}, missing
}

func (a *App) memberCalendar(ctx context.Context, memberID string, missing error) (Calendar, error) {
	m, err := a.store.MemberByID(ctx, memberID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return Calendar{}, missing
	}
	if err != nil {
		return Calendar{}, err
	}
	if m.Status == domain.MemberArchived {
		return Calendar{}, missing
	}
	now := a.Now()
	bookings, err := a.store.FeedBookings(ctx, m.ID, now.Add(-feedHeldWindow), now.Add(-feedEndedWindow))
	if err != nil {
		return Calendar{}, err
	}
	cal := Calendar{Name: "copbank: my shifts", Events: make([]CalendarEvent, 0, len(bookings))}
	lookup := a.feedLookup()
	for _, b := range bookings {
		sh, d, area, err := lookup(ctx, b.ShiftID)
		if err != nil {
			return Calendar{}, err
		}
		cal.Events = append(cal.Events, a.bookingCalendarEvent(b, sh, d, area))
	}
	return cal, nil
}

// bookingCalendarEvent is a booking as a member's calendar shows it, in a
// feed and as a booking email's .ics.
func (a *App) bookingCalendarEvent(b domain.Booking, sh domain.Shift, d domain.Demand, area domain.Area) CalendarEvent {
	zone := a.zoneOf(d)
	ev := CalendarEvent{UID: b.ID + "@copbank", Start: b.Start.In(zone), End: b.End.In(zone), Zone: zone,
		Summary: d.Title + " — " + positionOf(d, b.PositionID).Name, Location: placeOf(d, area),
		Status: bookingEventStatus(b.Status), Sequence: b.Sequence, Stamp: b.UpdatedAt}
	if sh.Status == domain.ShiftCancelled || d.Status == domain.DemandCancelled {
		ev.Status = EventCancelled
	}
	if b.Status.Active() && ev.Status != EventCancelled {
		ev.Description = bookingDescription(b.Status, d.Briefing)
	}
	return ev
}

func (a *App) coordinatorCalendar(ctx context.Context, userID string, missing error) (Calendar, error) {
	u, err := a.store.UserByID(ctx, userID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return Calendar{}, missing
	}
	if err != nil {
		return Calendar{}, err
	}
	p := &domain.Principal{User: u}
	if u.DisabledAt != nil || !isCoordinating(p) {
		return Calendar{}, missing
	}
	now := a.Now()
	paths := []string{""} // an admin: every area
	if !p.IsAdmin() {
		paths = paths[:0]
		for _, area := range u.Areas {
			paths = append(paths, area.Path)
		}
	}
	seen := map[string]bool{}
	cal := Calendar{Name: "copbank: shifts in my areas", Events: []CalendarEvent{}}
	lookup := a.feedLookup()
	for _, path := range paths {
		f := domain.ShiftFilter{AreaPath: path, From: now, To: now.AddDate(0, 0, 7*coordinatorFeedWeeks), Limit: 500}
		for len(cal.Events) < feedMaxShifts {
			listings, err := a.store.FindShifts(ctx, f)
			if err != nil {
				return Calendar{}, err
			}
			for _, l := range listings {
				sh, d := l.Shift, l.Demand
				if seen[sh.ID] || sh.Status != domain.ShiftScheduled || d.Status != domain.DemandActive {
					continue
				}
				seen[sh.ID] = true
				_, _, area, err := lookup(ctx, sh.ID)
				if err != nil {
					return Calendar{}, err
				}
				zone := a.zoneOf(d)
				cal.Events = append(cal.Events, CalendarEvent{UID: "shift-" + sh.ID + "@copbank", Start: sh.Start.In(zone),
					End: sh.End.In(zone), Zone: zone, Summary: d.Title, Location: placeOf(d, area),
					Description: placesDescription(d, sh), Status: EventConfirmed, Stamp: now})
			}
			if len(listings) < f.Limit {
				break
			}
			last := listings[len(listings)-1].Shift
			f.AfterStart, f.AfterID = &last.Start, last.ID
		}
	}
	sortEvents(cal.Events)
	return cal, nil
}

// feedLookup returns a cached reader of a shift with its demand and area.
func (a *App) feedLookup() func(ctx context.Context, shiftID string) (domain.Shift, domain.Demand, domain.Area, error) {
	type entry struct {
		sh   domain.Shift
		d    domain.Demand
		area domain.Area
	}
	shifts := map[string]entry{}
	areas := map[string]domain.Area{}
	return func(ctx context.Context, shiftID string) (domain.Shift, domain.Demand, domain.Area, error) {
		if e, ok := shifts[shiftID]; ok {
			return e.sh, e.d, e.area, nil
		}
		sh, d, err := a.store.ShiftByID(ctx, shiftID)
		if err != nil {
			return sh, d, domain.Area{}, err
		}
		area, ok := areas[d.AreaID]
		if !ok {
			if area, err = a.store.AreaByID(ctx, d.AreaID); err != nil {
				return sh, d, area, err
			}
			areas[d.AreaID] = area
		}
		shifts[shiftID] = entry{sh, d, area}
		return sh, d, area, nil
	}
}

// placeOf is where a shift happens: the demand's location, else its area.
func placeOf(d domain.Demand, area domain.Area) string {
	if d.Location != nil && strings.TrimSpace(d.Location.Description) != "" {
		return d.Location.Description
	}
	return area.Name
}

func bookingEventStatus(s domain.BookingStatus) EventStatus {
	switch s {
	case domain.BookingOffered, domain.BookingPending:
		return EventTentative
	case domain.BookingConfirmed, domain.BookingAttended, domain.BookingNoShow:
		return EventConfirmed
	default:
		return EventCancelled
	}
}

func bookingDescription(s domain.BookingStatus, briefing string) string {
	var lead string
	switch s {
	case domain.BookingOffered:
		lead = "Offered to you: accept or decline it in copbank."
	case domain.BookingPending:
		lead = "Awaiting a coordinator's approval."
	}
	switch {
	case lead == "":
		return briefing
	case briefing == "":
		return lead
	default:
		return lead + "\n\n" + briefing
	}
}

// placesDescription lists a shift's places left per position, then the briefing.
func placesDescription(d domain.Demand, sh domain.Shift) string {
	var b strings.Builder
	left, total := 0, 0
	for _, pl := range sh.Places {
		left += pl.PlacesLeft()
		total += pl.Headcount
	}
	fmt.Fprintf(&b, "%d of %d places left", left, total)
	for _, pl := range sh.Places {
		fmt.Fprintf(&b, "\n%s: %d of %d left", positionOf(d, pl.PositionID).Name, pl.PlacesLeft(), pl.Headcount)
	}
	if d.Briefing != "" {
		b.WriteString("\n\n" + d.Briefing)
	}
	return b.String()
}

// sortEvents merges the areas' lists into start order.
func sortEvents(evs []CalendarEvent) {
	slices.SortStableFunc(evs, func(x, y CalendarEvent) int { return x.Start.Compare(y.Start) })
}
