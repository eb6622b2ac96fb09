package web

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The member's pages: find shifts, a shift, book (with a confirmation
// step), my shifts, cancel, answer an offer. Every rule is the app's: the
// pages call the same use cases as the JSON API.

type shiftCard struct {
	ID, Title, When, Area, Distance, PlacesLeft string
}

type shiftsData struct {
	Heading string
	Areas   []domain.Area
	Skills  []domain.Skill
	Shifts  []shiftCard
	// Next is the address of the next page, "" on the last; First goes
	// back to the first page of the same search.
	Next, First string
}

// shiftsPageSize keeps a page of shift cards short on a phone.
const shiftsPageSize = 20

// areaName is an area's name for a card, the code when it is unknown.
func areaName(areas []domain.Area, code string) string {
	for _, a := range areas {
		if a.Code == code {
			return a.Name
		}
	}
	return code
}

// when formats a shift's time in its demand's zone: "Fri 8 Jan 2027, 18:00–22:00".
func (s *Server) when(d domain.Demand, start, end time.Time) string {
	zone := s.app.Config.TimeZone
	if d.TimeZone != "" {
		if z, err := time.LoadLocation(d.TimeZone); err == nil {
			zone = z
		}
	}
	st, en := start.In(zone), end.In(zone)
	if en.Sub(st) < 24*time.Hour {
		return st.Format("Mon 2 Jan 2006, 15:04") + "–" + en.Format("15:04")
	}
	return st.Format("Mon 2 Jan 2006, 15:04") + " to " + en.Format("Mon 2 Jan, 15:04")
}

func distance(km *float64) string {
	if km == nil {
		return ""
	}
	return fmt.Sprintf("%.1f km from home", *km)
}

func placesLeft(n int) string {
	switch n {
	case 0:
		return "Full"
	case 1:
		return "1 place left"
	}
	return fmt.Sprintf("%d places left", n)
}

// shiftsPage is "find shifts": a plain GET form (area, from, to, skill) over
// the shifts the member may book, soonest first.
func (s *Server) shiftsPage(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	form := map[string]string{"area": c.Query("area"), "from": c.Query("from"), "to": c.Query("to"), "skill": c.Query("skill")}
	view := pageView{Title: "Find shifts", Nav: "shifts", Form: form}
	q := app.ShiftQuery{Area: form["area"], Skill: form["skill"], Limit: shiftsPageSize, After: c.Query("cursor")}
	zone := s.app.Config.TimeZone
	if form["from"] != "" {
		t, err := time.ParseInLocation("2006-01-02", form["from"], zone)
		if err != nil {
			view.Errors = append(view.Errors, domain.FieldError{Field: "from", Message: "Enter the from date as a date, for example 2027-01-08"})
		}
		q.From = t
	}
	if form["to"] != "" {
		t, err := time.ParseInLocation("2006-01-02", form["to"], zone)
		if err != nil {
			view.Errors = append(view.Errors, domain.FieldError{Field: "to", Message: "Enter the to date as a date, for example 2027-01-31"})
		} else {
			q.To = t.AddDate(0, 0, 1)
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		view.Errors = append(view.Errors, domain.FieldError{Field: "to", Message: "The to date must be the same as or after the from date"})
	}
	data := shiftsData{Heading: "Shifts you can book"}
	if p.User.MemberID == "" {
		data.Heading = "Shifts with places left"
	}
	var err error
	if data.Areas, err = s.app.Areas(ctx, p, "", 1000); err != nil {
		return err
	}
	if data.Skills, err = s.app.Skills(ctx, p, "", 1000); err != nil {
		return err
	}
	if form["area"] != "" && !slices.ContainsFunc(data.Areas, func(a domain.Area) bool { return a.Code == form["area"] }) {
		view.Errors = append(view.Errors, domain.FieldError{Field: "area", Message: "Choose an area from the list"})
	}
	if form["skill"] != "" && !slices.ContainsFunc(data.Skills, func(k domain.Skill) bool { return k.Code == form["skill"] }) {
		view.Errors = append(view.Errors, domain.FieldError{Field: "skill", Message: "Choose a skill from the list"})
	}
	view.Data = &data
	if len(view.Errors) > 0 {
		data.Heading = "Shifts"
		return s.render(c, fiber.StatusUnprocessableEntity, "shifts", view)
	}
	q.Eligible = p.User.MemberID != ""
	q.Open = !q.Eligible
	found, err := s.app.FindShifts(ctx, p, q)
	if err != nil {
		return err
	}
	for _, v := range found {
		left := 0
		for _, pl := range v.Shift.Places {
			left += pl.PlacesLeft()
		}
		data.Shifts = append(data.Shifts, shiftCard{ID: v.Shift.ID, Title: v.Demand.Title, When: s.when(v.Demand, v.Shift.Start, v.Shift.End),
			Area: areaName(data.Areas, v.Demand.AreaCode), Distance: distance(v.HomeKm), PlacesLeft: placesLeft(left)})
	}
	search := url.Values{}
	for k, v := range form {
		if v != "" {
			search.Set(k, v)
		}
	}
	if q.After != "" {
		data.First = "/shifts?" + search.Encode()
	}
	if len(found) == shiftsPageSize {
		search.Set("cursor", app.ShiftCursor(found[len(found)-1].Shift))
		data.Next = "/shifts?" + search.Encode()
	}
	return s.render(c, fiber.StatusOK, "shifts", view)
}

type positionCard struct {
	ID, Name, PlacesLeft, Held string
	CanBook, CanWait           bool
	Failed                     []string
}

type shiftData struct {
	ID, Title, When, Area, Where, Distance, Description string
	Positions                                           []positionCard
}

// shiftPage shows one shift with, per place, Book, Join the waitlist, or the
// rules the member fails in plain words.
func (s *Server) shiftPage(c *fiber.Ctx) error {
	v, err := s.app.GetShift(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	data := shiftData{ID: v.Shift.ID, Title: v.Demand.Title, When: s.when(v.Demand, v.Shift.Start, v.Shift.End),
		Area: v.Demand.AreaCode, Distance: distance(v.HomeKm), Description: v.Demand.Description}
	if v.Demand.Location != nil {
		data.Where = v.Demand.Location.Description
	}
	for _, pos := range v.Demand.Positions {
		i := slices.IndexFunc(v.Shift.Places, func(pl domain.Place) bool { return pl.PositionID == pos.ID })
		if i < 0 {
			continue
		}
		card := positionCard{ID: pos.ID, Name: pos.Name, PlacesLeft: placesLeft(v.Shift.Places[i].PlacesLeft())}
		for _, b := range v.Mine {
			if b.PositionID == pos.ID {
				card.Held = statusWords(b.Status)
			}
		}
		if failed, member := v.Failed[pos.ID]; member && card.Held == "" {
			card.CanBook = len(failed) == 0
			card.CanWait = slices.Equal(failed, []string{domain.RuleHasPlace})
			if !card.CanBook && !card.CanWait {
				card.Failed = domain.FailedWords(failed)
			}
		}
		data.Positions = append(data.Positions, card)
	}
	return s.render(c, fiber.StatusOK, "shift", pageView{Title: v.Demand.Title, Nav: "shifts", Data: data})
}

type bookData struct {
	ShiftID, PositionID, Title, When, Position string
	Waitlist, OfferWaitlist                    bool
	Met, Failed                                []string
}

// bookView gathers the confirmation step for one place.
func (s *Server) bookView(c *fiber.Ctx, waitlist bool) (bookData, []string, error) {
	p := principal(c)
	v, err := s.app.GetShift(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return bookData{}, nil, err
	}
	posID := c.FormValue("position", c.Query("position"))
	i := slices.IndexFunc(v.Demand.Positions, func(pos domain.Position) bool { return pos.ID == posID })
	if i < 0 {
		return bookData{}, nil, domain.Errorf(domain.ENotFound, "no such place on this shift")
	}
	if v.Failed == nil {
		return bookData{}, nil, domain.Errorf(domain.EForbidden, "only a member can book a place; your account has no member record")
	}
	failed := v.Failed[posID]
	data := bookData{ShiftID: v.Shift.ID, PositionID: posID, Title: v.Demand.Title, When: s.when(v.Demand, v.Shift.Start, v.Shift.End),
		Position: v.Demand.Positions[i].Name, Waitlist: waitlist}
	return data, failed, nil
}

func (d *bookData) explain(failed []string) {
	blocking := failed
	if d.Waitlist {
		blocking = slices.DeleteFunc(slices.Clone(failed), func(r string) bool { return r == domain.RuleHasPlace })
	}
	d.Met = domain.MetWords(failed)
	d.Failed = domain.FailedWords(blocking)
	d.OfferWaitlist = !d.Waitlist && slices.Equal(failed, []string{domain.RuleHasPlace})
}

// bookPage is the confirmation step: what was checked, and a POST form.
func (s *Server) bookPage(c *fiber.Ctx) error {
	waitlist := c.Query("waitlist") == "1"
	data, failed, err := s.bookView(c, waitlist)
	if err != nil {
		return err
	}
	data.explain(failed)
	return s.render(c, fiber.StatusOK, "book", pageView{Title: "Confirm booking", Nav: "shifts", Data: data})
}

// bookShift books (or joins the waitlist) through the same use case as the
// API; a refusal re-shows the step with every failed rule in plain words.
func (s *Server) bookShift(c *fiber.Ctx) error {
	waitlist := c.FormValue("waitlist") == "1"
	data, _, err := s.bookView(c, waitlist)
	if err != nil {
		return err
	}
	in := app.BookInput{ShiftID: data.ShiftID, PositionID: data.PositionID}
	var res app.BookingResult
	if waitlist {
		res, err = s.app.JoinWaitlist(c.UserContext(), principal(c), in)
	} else {
		res, err = s.app.Book(c.UserContext(), principal(c), in)
	}
	var de *domain.Error
	if domain.ErrorCode(err) == domain.ERefused && errors.As(err, &de) {
		data.explain(de.Rules)
		return s.render(c, fiber.StatusConflict, "book", pageView{Title: "Booking refused", Nav: "shifts", Data: data})
	}
	if err != nil {
		return err
	}
	switch res.Booking.Status {
	case domain.BookingWaitlisted:
		s.flash(c, fmt.Sprintf("You are on the waitlist for %s, %s: number %d in the queue.", data.Title, data.When, res.QueuePosition))
	case domain.BookingPending:
		s.flash(c, fmt.Sprintf("You asked for a place on %s, %s. A coordinator will approve it.", data.Title, data.When)+s.holdWords(res.Hold, "Your"))
	default:
		s.flash(c, fmt.Sprintf("You are booked on %s, %s.", data.Title, data.When))
	}
	return c.Redirect("/my-shifts", fiber.StatusSeeOther)
}

func statusWords(st domain.BookingStatus) string {
	switch st {
	case domain.BookingOffered:
		return "Offered to you"
	case domain.BookingPending:
		return "Waiting for approval"
	case domain.BookingConfirmed:
		return "Booked"
	case domain.BookingWaitlisted:
		return "On the waitlist"
	case domain.BookingNoShow:
		return "No show"
	}
	return upperFirst(strings.ReplaceAll(string(st), "_", " "))
}

type bookingCard struct {
	ID, ShiftID, Title, When, Position, Status string
	CanCancel, CanAnswer, CanClaim, CanAttend  bool
	CanOffer, OnOffer                          bool // to colleagues: see pages_handover.go
	CanDuty                                    bool // a lone-working shift: on and off duty
}

type myShiftsData struct {
	IsMember bool
	Hold     string // why the member's own bookings wait for approval
	Swaps    int    // swaps colleagues ask of the member: see pages_handover.go
	Bookings []bookingCard
}

// myShiftsPage lists the member's bookings with Cancel and, for offers,
// Accept and Decline.
func (s *Server) myShiftsPage(c *fiber.Ctx) error {
	p := principal(c)
	views, err := s.app.MyBookings(c.UserContext(), p, 200)
	if err != nil {
		return err
	}
	data := myShiftsData{IsMember: p.User.MemberID != ""}
	if data.IsMember {
		h, err := s.app.ApprovalHold(c.UserContext(), p, p.User.MemberID)
		if err != nil {
			return err
		}
		data.Hold = s.holdWords(h, "Your")
		swaps, err := s.app.SwapsAsked(c.UserContext(), p)
		if err != nil {
			return err
		}
		data.Swaps = len(swaps)
	}
	now := s.app.Now()
	onOffer, err := s.myOffers(c, views)
	if err != nil {
		return err
	}
	for _, v := range views {
		b := v.Booking
		upcoming := now.Before(v.Shift.Start)
		data.Bookings = append(data.Bookings, bookingCard{ID: b.ID, ShiftID: b.ShiftID, Title: v.Demand.Title,
			When: s.when(v.Demand, v.Shift.Start, v.Shift.End), Position: v.Position().Name, Status: bookingStatusWords(b),
			CanOffer: upcoming && b.Status == domain.BookingConfirmed && !onOffer[b.ID], OnOffer: onOffer[b.ID],
			CanCancel: upcoming && (b.Status.Active() || b.Status == domain.BookingWaitlisted),
			CanAnswer: upcoming && b.Status == domain.BookingOffered, CanClaim: b.Status == domain.BookingAttended,
			CanAttend: !upcoming && b.Status == domain.BookingConfirmed,
			CanDuty:   v.Demand.LoneWorking && (b.Status == domain.BookingConfirmed || b.Status == domain.BookingAttended)})
	}
	return s.render(c, fiber.StatusOK, "myshifts", pageView{Title: "My shifts", Nav: "my-shifts", Data: data})
}

type cancelData struct {
	ID, Title, When, Position string
	Late                      bool
	LastSupervisor            bool // a colleague on the shift relies on them
}

// myBooking loads one of the caller's own bookings; anyone else's is not
// found.
func (s *Server) myBooking(c *fiber.Ctx) (app.BookingView, error) {
	p := principal(c)
	v, err := s.app.Booking(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return v, err
	}
	if v.Booking.MemberID != p.User.MemberID {
		return app.BookingView{}, domain.Errorf(domain.ENotFound, "no such booking")
	}
	return v, nil
}

func (s *Server) cancelPage(c *fiber.Ctx) error {
	v, err := s.myBooking(c)
	if err != nil {
		return err
	}
	late, err := s.app.IsLateCancel(c.UserContext(), v.Shift.Start)
	if err != nil {
		return err
	}
	data := cancelData{ID: v.Booking.ID, Title: v.Demand.Title, When: s.when(v.Demand, v.Shift.Start, v.Shift.End),
		Position: v.Position().Name, Late: late}
	if data.LastSupervisor, err = s.app.LastSupervisor(c.UserContext(), principal(c), v.Booking.ID); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "cancel", pageView{Title: "Cancel booking", Nav: "my-shifts", Data: data})
}

func (s *Server) cancelMyBooking(c *fiber.Ctx) error {
	v, err := s.myBooking(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if len(reason) > 500 {
		reason = reason[:500]
	}
	if _, err := s.app.CancelBooking(c.UserContext(), principal(c), v.Booking.ID, reason); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("You cancelled your place on %s, %s.", v.Demand.Title, s.when(v.Demand, v.Shift.Start, v.Shift.End)))
	return c.Redirect("/my-shifts", fiber.StatusSeeOther)
}

// answerOffer accepts or declines an offered place.
func (s *Server) answerOffer(accept bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := s.myBooking(c)
		if err != nil {
			return err
		}
		what := fmt.Sprintf("%s, %s", v.Demand.Title, s.when(v.Demand, v.Shift.Start, v.Shift.End))
		if accept {
			_, err = s.app.AcceptOffer(c.UserContext(), principal(c), v.Booking.ID)
			what = "You accepted the place on " + what + "."
		} else {
			_, err = s.app.DeclineOffer(c.UserContext(), principal(c), v.Booking.ID)
			what = "You declined the place on " + what + "."
		}
		if err != nil {
			return err
		}
		s.flash(c, what)
		return c.Redirect("/my-shifts", fiber.StatusSeeOther)
	}
}
