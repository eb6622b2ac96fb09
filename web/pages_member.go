package web

import (
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The member's own pages beyond booking: availability (a plain form that
// writes a weekly RRULE), leave, and the private calendar address. Every rule
// is the app's; the pages only turn form fields into its inputs.

// weekday is one checkbox of the days-of-the-week fieldset.
type weekday struct {
	Code, Name string // RFC 5545 BYDAY code and its English name
	Checked    bool
}

type dayOfWeek struct {
	code, name string
	day        time.Weekday
}

var weekdays = []dayOfWeek{
	{"MO", "Monday", time.Monday}, {"TU", "Tuesday", time.Tuesday}, {"WE", "Wednesday", time.Wednesday},
	{"TH", "Thursday", time.Thursday}, {"FR", "Friday", time.Friday}, {"SA", "Saturday", time.Saturday},
	{"SU", "Sunday", time.Sunday},
}

type windowCard struct{ ID, Summary string }

type availabilityData struct {
	IsMember    bool
	Days        []weekday
	DaysError   string
	Inputs      map[string]inputField
	Windows     []windowCard
	Occurrences []string
}

var availabilityInputs = []inputField{
	{ID: "start_date", Label: "Starting from", Hint: "The first date the pattern applies, for example 2027-01-04. It starts on the first ticked day on or after this date.", Type: "date"},
	{ID: "start_time", Label: "Start time", Hint: "24-hour clock, for example 18:00", Type: "time"},
	{ID: "hours", Label: "Length in hours", Hint: "For example 4, or 2.5 for two and a half hours", InputMode: "decimal"},
	{ID: "until", Label: "Until (optional)", Hint: "The last date, for example 2027-03-31. Leave empty to repeat with no end.", Type: "date"},
}

var availabilityFields = map[string]pageField{
	"":                 {ID: "days", Label: "Days"},
	"start_local":      {ID: "start_date", Label: "Start"},
	"duration_minutes": {ID: "hours", Label: "Length"},
	"until":            {ID: "until", Label: "Until"},
	"rrule":            {ID: "days", Label: "Days"},
	"timezone":         {ID: "start_date", Label: "Time zone"},
}

// availabilityPage shows the form, the member's windows and what they add up
// to over the next four weeks.
func (s *Server) availabilityPage(c *fiber.Ctx) error {
	today := domain.DateOf(s.app.Now().In(s.app.Config.TimeZone))
	view := pageView{Title: "Availability", Nav: "availability", Form: map[string]string{"start_date": today.String()}}
	return s.renderAvailabilityPage(c, fiber.StatusOK, view, nil)
}

func (s *Server) renderAvailabilityPage(c *fiber.Ctx, status int, view pageView, days []string) error {
	p := principal(c)
	data := availabilityData{IsMember: p.User.MemberID != "", Inputs: fillInputs(view, availabilityInputs...), DaysError: fieldError(view, "days")}
	for _, d := range weekdays {
		data.Days = append(data.Days, weekday{Code: d.code, Name: d.name, Checked: slices.Contains(days, d.code)})
	}
	if data.IsMember {
		ctx := c.UserContext()
		avs, err := s.app.Availability(ctx, p, p.User.MemberID)
		if err != nil {
			return err
		}
		for _, av := range avs {
			data.Windows = append(data.Windows, windowCard{ID: av.ID, Summary: describeWindow(av)})
		}
		occs, err := s.app.ExpandAvailability(ctx, p, p.User.MemberID, "", "")
		if err != nil {
			return err
		}
		for i, o := range occs {
			if i == 40 {
				data.Occurrences = append(data.Occurrences, fmt.Sprintf("and %d more", len(occs)-i))
				break
			}
			data.Occurrences = append(data.Occurrences, windowSpan(o.Start, o.End))
		}
	}
	view.Data = data
	return s.render(c, status, "member_availability", view)
}

// windowSpan formats a window: "Tue 5 Jan 2027, 18:00–22:00".
func windowSpan(start, end time.Time) string {
	if end.Sub(start) < 24*time.Hour {
		return start.Format("Mon 2 Jan 2006, 15:04") + "–" + end.Format("15:04")
	}
	return start.Format("Mon 2 Jan 2006, 15:04") + " to " + end.Format("Mon 2 Jan, 15:04")
}

// describeWindow says a stored window in words: "Every Tuesday and Thursday,
// 18:00 for 4 hours, from Tue 5 Jan 2027 until 31 Mar 2027".
func describeWindow(av domain.Availability) string {
	start, err := time.Parse("2006-01-02T15:04", av.StartLocal)
	if err != nil {
		return av.StartLocal
	}
	length := hoursWords(float64(av.DurationMinutes) / 60)
	var b strings.Builder
	switch days, ok := weeklyDays(av.RRule); {
	case av.RRule == "":
		fmt.Fprintf(&b, "Once, %s for %s", start.Format("Mon 2 Jan 2006, 15:04"), length)
		return b.String()
	case ok:
		fmt.Fprintf(&b, "Every %s, %s for %s", joinWords(days), start.Format("15:04"), length)
	default:
		fmt.Fprintf(&b, "Repeating (%s), %s for %s", av.RRule, start.Format("15:04"), length)
	}
	fmt.Fprintf(&b, ", from %s", start.Format("Mon 2 Jan 2006"))
	if av.Until != nil {
		if u, err := time.Parse("2006-01-02", av.Until.String()); err == nil {
			fmt.Fprintf(&b, " until %s", u.Format("Mon 2 Jan 2006"))
		}
	}
	return b.String()
}

// weeklyDays reads the day names of a plain "FREQ=WEEKLY;BYDAY=…" rule.
func weeklyDays(rule string) ([]string, bool) {
	parts := strings.Split(strings.TrimPrefix(strings.ToUpper(rule), "RRULE:"), ";")
	if len(parts) != 2 || parts[0] != "FREQ=WEEKLY" || !strings.HasPrefix(parts[1], "BYDAY=") {
		return nil, false
	}
	var names []string
	for _, code := range strings.Split(strings.TrimPrefix(parts[1], "BYDAY="), ",") {
		i := slices.IndexFunc(weekdays, func(d dayOfWeek) bool { return d.code == code })
		if i < 0 {
			return nil, false
		}
		names = append(names, weekdays[i].name)
	}
	return names, true
}

func joinWords(ws []string) string {
	if len(ws) <= 1 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

func hoursWords(h float64) string {
	if h == 1 {
		return "1 hour"
	}
	return strconv.FormatFloat(h, 'f', -1, 64) + " hours"
}

// weeklyRule writes the RRULE for the ticked days, in week order.
func weeklyRule(days []string) string {
	var codes []string
	for _, d := range weekdays {
		if slices.Contains(days, d.code) {
			codes = append(codes, d.code)
		}
	}
	return "FREQ=WEEKLY;BYDAY=" + strings.Join(codes, ",")
}

// firstOn moves date forward to the first of the ticked days on or after it,
// so that the series starts on an occurrence of its own rule.
func firstOn(date time.Time, days []string) time.Time {
	for i := 0; i < 7; i++ {
		d := date.AddDate(0, 0, i)
		for _, w := range weekdays {
			if w.day == d.Weekday() && slices.Contains(days, w.code) {
				return d
			}
		}
	}
	return date
}

// formDays reads the ticked days, keeping only known codes.
func formDays(c *fiber.Ctx) []string {
	var days []string
	for _, v := range c.Request().PostArgs().PeekMulti("days") {
		code := string(v)
		if slices.ContainsFunc(weekdays, func(d dayOfWeek) bool { return d.code == code }) && !slices.Contains(days, code) {
			days = append(days, code)
		}
	}
	return days
}

// postAvailability checks the form's syntax, writes the RRULE and calls the
// same use case as the API; errors re-show the form with every value kept.
func (s *Server) postAvailability(c *fiber.Ctx) error {
	p := principal(c)
	if p.User.MemberID == "" {
		return domain.Errorf(domain.EForbidden, "Your account is not linked to a member record, so it has no availability.")
	}
	days := formDays(c)
	form := map[string]string{}
	for _, in := range availabilityInputs {
		form[in.ID] = strings.TrimSpace(c.FormValue(in.ID))
	}
	view := pageView{Title: "Availability", Nav: "availability", Form: form}
	bad := func(field, msg string) {
		view.Errors = append(view.Errors, domain.FieldError{Field: field, Message: msg})
	}
	if len(days) == 0 {
		bad("days", "Choose at least one day of the week")
	}
	date, err := time.Parse("2006-01-02", form["start_date"])
	if err != nil {
		bad("start_date", "Enter the start date as a date, for example 2027-01-04")
	}
	clock, err := time.Parse("15:04", form["start_time"])
	if err != nil {
		bad("start_time", "Enter the start time on the 24-hour clock, for example 18:00")
	}
	hours, err := strconv.ParseFloat(form["hours"], 64)
	minutes := int(math.Round(hours * 60))
	switch {
	case err != nil || math.IsNaN(hours):
		bad("hours", "Enter the length in hours, for example 4 or 2.5")
	case minutes < 15 || hours > 24:
		bad("hours", "The length must be from a quarter of an hour to 24 hours")
	}
	if form["until"] != "" {
		if u, err := time.Parse("2006-01-02", form["until"]); err != nil {
			bad("until", "Enter the until date as a date, for example 2027-03-31, or leave it empty")
		} else if len(view.Errors) == 0 && u.Before(firstOn(date, days)) {
			bad("until", "The until date must be on or after the first day the pattern starts")
		}
	}
	if len(view.Errors) > 0 {
		return s.renderAvailabilityPage(c, fiber.StatusUnprocessableEntity, view, days)
	}
	start := firstOn(date, days)
	in := app.NewAvailability{StartLocal: start.Format("2006-01-02") + "T" + clock.Format("15:04"), DurationMinutes: minutes,
		RRule: weeklyRule(days), Until: form["until"]}
	if _, err := s.app.AddAvailability(c.UserContext(), p, p.User.MemberID, in); err != nil {
		fields, ok := appFieldErrors(err, availabilityFields)
		if !ok {
			return err
		}
		view.Errors = fields
		return s.renderAvailabilityPage(c, fiber.StatusUnprocessableEntity, view, days)
	}
	var names []string
	for _, d := range weekdays {
		if slices.Contains(days, d.code) {
			names = append(names, d.name)
		}
	}
	s.flash(c, fmt.Sprintf("You added availability every %s from %s.", joinWords(names), start.Format("Mon 2 Jan 2006")))
	return c.Redirect("/availability", fiber.StatusSeeOther)
}

// postDeleteAvailability removes one of the member's own windows.
func (s *Server) postDeleteAvailability(c *fiber.Ctx) error {
	p := principal(c)
	if p.User.MemberID == "" {
		return domain.Errorf(domain.ENotFound, "no such availability")
	}
	if err := s.app.DeleteAvailability(c.UserContext(), p, p.User.MemberID, c.Params("id")); err != nil {
		return err
	}
	s.flash(c, "You removed the availability.")
	return c.Redirect("/availability", fiber.StatusSeeOther)
}

type leaveCard struct{ From, To, Reason string }

type leaveData struct {
	IsMember bool
	Inputs   map[string]inputField
	Leave    []leaveCard
}

var leaveInputs = []inputField{
	{ID: "from", Label: "First day of leave", Hint: "For example 2027-08-01", Type: "date"},
	{ID: "to", Label: "Last day of leave", Hint: "For example 2027-08-14. The same as the first day for one day.", Type: "date"},
	{ID: "reason", Label: "Reason (optional)", Hint: "Only coordinators see this. You do not have to give a reason."},
}

var leaveFields = map[string]pageField{
	"":       {ID: "from", Label: "Leave"},
	"from":   {ID: "from", Label: "The first day"},
	"to":     {ID: "to", Label: "The last day"},
	"reason": {ID: "reason", Label: "The reason"},
}

func (s *Server) leavePage(c *fiber.Ctx) error {
	return s.renderLeavePage(c, fiber.StatusOK, pageView{Title: "Leave", Nav: "leave"})
}

func (s *Server) renderLeavePage(c *fiber.Ctx, status int, view pageView) error {
	p := principal(c)
	data := leaveData{IsMember: p.User.MemberID != "", Inputs: fillInputs(view, leaveInputs...)}
	if data.IsMember {
		ls, err := s.app.MemberLeave(c.UserContext(), p, p.User.MemberID)
		if err != nil {
			return err
		}
		today := domain.DateOf(s.app.Now().In(s.app.Config.TimeZone))
		for _, l := range ls {
			if l.To.Before(today) {
				continue
			}
			data.Leave = append(data.Leave, leaveCard{From: dateWords(l.From), To: dateWords(l.To), Reason: l.Reason})
		}
	}
	view.Data = data
	return s.render(c, status, "member_leave", view)
}

// dateWords formats a date as "Fri 8 Jan 2027".
func dateWords(d domain.Date) string {
	t, err := time.Parse("2006-01-02", d.String())
	if err != nil {
		return d.String()
	}
	return t.Format("Mon 2 Jan 2006")
}

func (s *Server) postLeave(c *fiber.Ctx) error {
	p := principal(c)
	if p.User.MemberID == "" {
		return domain.Errorf(domain.EForbidden, "Your account is not linked to a member record, so it has no leave.")
	}
	form := map[string]string{}
	for _, in := range leaveInputs {
		form[in.ID] = strings.TrimSpace(c.FormValue(in.ID))
	}
	view := pageView{Title: "Leave", Nav: "leave", Form: form}
	if form["from"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "from", Message: "Enter the first day of your leave"})
	}
	if form["to"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "to", Message: "Enter the last day of your leave"})
	}
	if len(view.Errors) == 0 {
		l, err := s.app.AddLeave(c.UserContext(), p, p.User.MemberID, app.NewLeave{From: form["from"], To: form["to"], Reason: form["reason"]})
		if err == nil {
			s.flash(c, fmt.Sprintf("You are on leave from %s to %s.", dateWords(l.From), dateWords(l.To)))
			return c.Redirect("/leave", fiber.StatusSeeOther)
		}
		fields, ok := appFieldErrors(err, leaveFields)
		if !ok {
			return err
		}
		view.Errors = fields
	}
	return s.renderLeavePage(c, fiber.StatusUnprocessableEntity, view)
}

type calendarData struct {
	IsMember bool
	URL      string
}

// calendarLinkPage shows a new calendar address once, just after it was
// made; later visits offer to make another.
func (s *Server) calendarLinkPage(c *fiber.Ctx) error {
	data := calendarData{IsMember: principal(c).User.MemberID != ""}
	if v := c.Cookies(s.cookieName("calendar")); v != "" {
		s.clearCookie(c, "calendar")
		if b, err := base64.RawURLEncoding.DecodeString(v); err == nil && len(b) < 500 {
			data.URL = string(b)
		}
	}
	return s.render(c, fiber.StatusOK, "member_calendar", pageView{Title: "My calendar link", Nav: "my-shifts", Data: data})
}

// newCalendarLink makes a new feed address (the old one stops working) and
// shows it on the next page; it travels there in a short-lived HttpOnly
// cookie, never in the address bar.
func (s *Server) newCalendarLink(c *fiber.Ctx) error {
	p := principal(c)
	if p.User.MemberID == "" {
		return domain.Errorf(domain.EForbidden, "Your account is not linked to a member record, so it has no calendar of bookings.")
	}
	url, err := s.app.NewMemberCalendarToken(c.UserContext(), p, p.User.MemberID)
	if err != nil {
		return err
	}
	s.setCookie(c, "calendar", base64.RawURLEncoding.EncodeToString([]byte(url)), 120)
	return c.Redirect("/my-shifts/calendar-link", fiber.StatusSeeOther)
}
