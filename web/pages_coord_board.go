package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The fill board (a week of shifts in the coordinator's areas), a shift's
// roster with approve, reject and attendance, and the approvals list.

type boardPlace struct {
	Name, Filled, Open, Class string
}

type boardShift struct {
	ID, Title, Time, Area, Status string
	AtRisk                        bool
	Places                        []boardPlace
}

type boardDay struct {
	ID, Label string
	Shifts    []boardShift
}

type boardData struct {
	Week, Heading, Prev, Next, Area string
	AreaField                       inputField
	WeekField                       inputField
	Days                            []boardDay
	Empty                           bool
	// AtRisk lists the week's shifts below their fewest to go ahead
	// within 48 hours of the start, first thing on the board.
	AtRisk []boardRisk
}

type boardRisk struct{ ID, Title, When string }

var boardWeekRe = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)

// boardWeekStart is Monday 00:00 of an ISO week written 2027-W01, in zone.
func boardWeekStart(s string, zone *time.Location) (time.Time, bool) {
	m := boardWeekRe.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	w, _ := strconv.Atoi(m[2])
	first := domain.ISOWeekStart(time.Date(y, 1, 4, 12, 0, 0, 0, zone), zone)
	start := first.AddDate(0, 0, 7*(w-1))
	if gy, gw := start.ISOWeek(); w < 1 || gy != y || gw != w {
		return time.Time{}, false
	}
	return start, true
}

// boardWeekHeading is "Week 1: Mon 4 Jan to Sun 10 Jan 2027".
func boardWeekHeading(monday time.Time) string {
	_, w := monday.ISOWeek()
	return fmt.Sprintf("Week %d: %s to %s", w, monday.Format("Mon 2 Jan"), monday.AddDate(0, 0, 6).Format("Mon 2 Jan 2006"))
}

// openPlacesWords labels open places by priority in words, so that colour is
// never the only sign.
func openPlacesWords(priority, open int) string {
	return fmt.Sprintf("%s: %s open", priorityNames[priority], countOf(open, "place", "places"))
}

func (s *Server) boardPage(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	zone := s.app.Config.TimeZone
	week, area := strings.TrimSpace(c.Query("week")), strings.TrimSpace(c.Query("area"))
	view := pageView{Title: "Fill board", Nav: "board", Form: map[string]string{"week": week, "area": area}}
	errs := formErrors{}
	if week == "" {
		week = isoWeekOf(s.app.Now().In(zone))
	}
	from, ok := boardWeekStart(week, zone)
	if !ok {
		errs.add("week", "Enter the week as a year and week number, for example 2027-W01")
		week = isoWeekOf(s.app.Now().In(zone))
		from, _ = boardWeekStart(week, zone)
	}
	to := from.AddDate(0, 0, 7)
	areas, err := s.app.CoordinatedAreas(ctx, p)
	if err != nil {
		return err
	}
	opts := []choice{{Value: "", Label: "All your areas"}}
	for _, a := range areas {
		opts = append(opts, choice{Value: a.Code, Label: a.Name + " (" + a.Code + ")"})
	}
	data := &boardData{Week: week, Area: area,
		AreaField: selectField("area", "Area", "", area, opts),
		WeekField: inputField{ID: "week", Name: "week", Label: "Week", Hint: "For example 2027-W01", Value: week, Type: "week", Class: "input-short"},
		Prev:      isoWeekOf(from.AddDate(0, 0, -7)), Next: isoWeekOf(from.AddDate(0, 0, 7)),
		Heading: boardWeekHeading(from)}
	view.Data = data
	var shifts []app.ShiftView
	if len(errs) == 0 {
		shifts, err = s.app.Board(ctx, p, app.BoardQuery{Area: area, From: from, To: to})
		if fields, ok := invalidFields(err); ok {
			for _, fe := range fields {
				errs.add("area", ledBy("Area", fe.Message))
			}
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		data.AreaField.Error, data.WeekField.Error = errs["area"], errs["week"]
		view.Errors = errs.summary([]string{"area", "week"})
		return s.render(c, fiber.StatusUnprocessableEntity, "coord_board", view)
	}
	now := s.app.Now()
	for i := 0; i < 7; i++ {
		day := from.AddDate(0, 0, i)
		bd := boardDay{ID: "day-" + day.Format("2006-01-02"), Label: day.Format("Monday 2 January")}
		for _, v := range shifts {
			st := v.Shift.Start.In(zone)
			if st.Year() != day.Year() || st.YearDay() != day.YearDay() {
				continue
			}
			card := s.boardCard(v, now)
			bd.Shifts = append(bd.Shifts, card)
			if card.AtRisk {
				data.AtRisk = append(data.AtRisk, boardRisk{ID: card.ID, Title: card.Title, When: s.when(v.Demand, v.Shift.Start, v.Shift.End)})
			}
		}
		data.Days = append(data.Days, bd)
	}
	data.Empty = len(shifts) == 0
	return s.render(c, fiber.StatusOK, "coord_board", view)
}

func (s *Server) boardCard(v app.ShiftView, now time.Time) boardShift {
	zone := s.app.Config.TimeZone
	if v.Demand.TimeZone != "" {
		if z, err := time.LoadLocation(v.Demand.TimeZone); err == nil {
			zone = z
		}
	}
	card := boardShift{ID: v.Shift.ID, Title: v.Demand.Title, Area: v.Demand.AreaCode, AtRisk: v.AtRisk(now),
		Time: v.Shift.Start.In(zone).Format("15:04") + "–" + v.Shift.End.In(zone).Format("15:04")}
	switch {
	case v.Shift.Status == domain.ShiftCancelled || v.Demand.Status == domain.DemandCancelled:
		card.Status = "Cancelled"
	case !now.Before(v.Shift.Start):
		card.Status = "Started"
	}
	for _, pos := range v.Demand.Positions {
		for _, pl := range v.Shift.Places {
			if pl.PositionID != pos.ID {
				continue
			}
			bp := boardPlace{Name: pos.Name, Filled: fmt.Sprintf("%d of %d filled", pl.Taken, pl.Headcount)}
			if open := pl.PlacesLeft(); open > 0 && card.Status == "" {
				bp.Open = openPlacesWords(v.Demand.Priority, open)
				bp.Class = fmt.Sprintf("open open-p%d", v.Demand.Priority)
			}
			card.Places = append(card.Places, bp)
		}
	}
	return card
}

type rosterLine struct {
	ID, Name, Position, Status                  string
	CanApprove, CanRecord, Submitted, CanCancel bool
}

type rosterData struct {
	ID, Title, When, Area, Where, Status, Week string
	AtRisk                                     bool
	Places                                     []boardPlace
	Bookings, Waitlist                         []rosterLine
	DemandID                                   string
	Finder                                     staffFinder
	// Roster records every booking at once; nil before the start.
	Roster *rosterForm
}

// coordShiftPage is a shift's roster: every booking, with approve and reject
// for pending ones and attendance once the shift has started.
func (s *Server) coordShiftPage(c *fiber.Ctx) error {
	return s.renderCoordShift(c, fiber.StatusOK, pageView{})
}

// renderCoordShift shows the roster page with the view's errors and form
// values, which the roster form takes its values from when it was posted.
func (s *Server) renderCoordShift(c *fiber.Ctx, status int, view pageView) error {
	v, err := s.app.CoordinatorShift(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	now := s.app.Now()
	card := s.boardCard(v.ShiftView, now)
	data := rosterData{ID: v.Shift.ID, Title: v.Demand.Title, When: s.when(v.Demand, v.Shift.Start, v.Shift.End), Area: v.Demand.AreaCode,
		Status: card.Status, AtRisk: card.AtRisk, Places: card.Places, Week: isoWeekOf(v.Shift.Start.In(s.app.Config.TimeZone))}
	if v.Demand.Location != nil {
		data.Where = v.Demand.Location.Description
	}
	started := !now.Before(v.Shift.Start)
	for _, b := range v.Bookings {
		line := rosterLine{ID: b.ID, Name: v.Names[b.MemberID], Position: demandPositionName(v.Demand, b.PositionID), Status: statusWords(b.Status),
			CanApprove: b.Status == domain.BookingPending && !started && card.Status != "Cancelled",
			CanRecord:  started && (b.Status == domain.BookingConfirmed || b.Status == domain.BookingAttended || b.Status == domain.BookingNoShow),
			Submitted:  b.AttendanceSubmitted,
			CanCancel:  b.Status.Active() && !started && card.Status != "Cancelled"}
		if b.Status == domain.BookingWaitlisted {
			line.CanCancel = !started
			data.Waitlist = append(data.Waitlist, line)
			continue
		}
		data.Bookings = append(data.Bookings, line)
	}
	data.DemandID = v.Demand.ID
	if data.Finder, err = s.rosterFinder(c, v); err != nil {
		return err
	}
	if started && card.Status != "Cancelled" {
		data.Roster = s.newRosterForm(v, view)
	}
	view.Title, view.Nav, view.Data = v.Demand.Title, "board", data
	return s.render(c, status, "coord_shift", view)
}

func demandPositionName(d domain.Demand, id string) string {
	for _, p := range d.Positions {
		if p.ID == id {
			return p.Name
		}
	}
	return ""
}

// coordBookingAction approves, rejects or records attendance, then goes back
// to the page the form came from with what happened.
func (s *Server) coordBookingAction(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	id := c.Params("id")
	v, err := s.app.Booking(ctx, p, id)
	if err != nil {
		return err
	}
	back := c.FormValue("back")
	if !strings.HasPrefix(back, "/coord/") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		back = "/coord/shifts/" + v.Booking.ShiftID
	}
	names, _ := s.app.CoordinatorShift(ctx, p, v.Booking.ShiftID)
	who := names.Names[v.Booking.MemberID]
	what := fmt.Sprintf("%s on %s, %s", who, v.Demand.Title, s.when(v.Demand, v.Shift.Start, v.Shift.End))
	var done string
	switch c.Params("action") {
	case "approve":
		_, err = s.app.ApproveBooking(ctx, p, id)
		done = "You approved " + what + "."
	case "reject":
		_, err = s.app.RejectBooking(ctx, p, id)
		done = "You rejected " + what + "."
	case "cancel":
		_, err = s.app.CancelBooking(ctx, p, id, strings.TrimSpace(c.FormValue("reason")))
		done = "You cancelled " + what + "; they have been told."
	case "attended", "no_show":
		_, err = s.app.RecordAttendance(ctx, p, id, app.AttendanceInput{Status: c.Params("action")})
		done = fmt.Sprintf("You recorded %s as %s.", what, strings.ToLower(statusWords(domain.BookingStatus(c.Params("action")))))
	default:
		return nothingHere()
	}
	switch domain.ErrorCode(err) {
	case "":
	case domain.ERefused, domain.EConflict, domain.EInvalid:
		done = "Not done: " + domain.ErrorMessage(err)
	default:
		return err
	}
	s.flash(c, done)
	return c.Redirect(back, fiber.StatusSeeOther)
}

type approvalCard struct {
	ID, ShiftID, Name, Title, When, Position, Area string
	// Held: the member is on a no-show approval hold (its page lifts it).
	Held     bool
	MemberID string
}

func (s *Server) approvalsPage(c *fiber.Ctx) error {
	list, err := s.app.PendingApprovals(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	var cards []approvalCard
	for _, a := range list {
		cards = append(cards, approvalCard{ID: a.Booking.ID, ShiftID: a.Shift.ID, Name: a.MemberName, Title: a.Demand.Title,
			When: s.when(a.Demand, a.Shift.Start, a.Shift.End), Position: a.Position().Name, Area: a.Demand.AreaCode,
			MemberID: a.Booking.MemberID, Held: s.onHold(c, a.Booking.MemberID)})
	}
	return s.render(c, fiber.StatusOK, "coord_approvals", pageView{Title: "Approvals", Nav: "approvals", Data: cards})
}
