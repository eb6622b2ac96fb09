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

// The demand form: one page that posts a one-off or repeating demand, with a
// "Preview dates" button that shows the shifts it would create by the same
// expansion rules, storing nothing.

const demandRows = 3 // position rows on the form; blank ones are ignored

var problemTypeNames = map[domain.ProblemType]string{
	"asb": "Anti-social behaviour", "student_asb": "Student anti-social behaviour", "neighbourhood_crime": "Neighbourhood crime",
	"fly_tipping": "Fly-tipping", "vandalism": "Vandalism", "speedwatch": "Speedwatch", "victim_support": "Victim support",
	"mentoring": "Mentoring", "community_event": "Community event", "trigger_meeting": "Trigger meeting", "other": "Other",
}

var priorityNames = map[int]string{1: "Routine", 2: "Low", 3: "Medium", 4: "High", 5: "Urgent"}

var coordDays = []choice{{Value: "MO", Label: "Monday"}, {Value: "TU", Label: "Tuesday"}, {Value: "WE", Label: "Wednesday"},
	{Value: "TH", Label: "Thursday"}, {Value: "FR", Label: "Friday"}, {Value: "SA", Label: "Saturday"}, {Value: "SU", Label: "Sunday"}}

type positionFields struct {
	Number                                int
	Name, MinVetting, Headcount, MinCount inputField
	Kinds, Skills                         choiceGroup
	Supervision                           inputField
}

type demandFormData struct {
	Title, ProblemType, Area, Priority, BookingMode, MenteeRef inputField
	Description, Location, Briefing                            inputField
	StartDate, StartTime, EndTime, Count, Until, ExDates       inputField
	Repeat, Days                                               choiceGroup
	LoneWorking                                                choiceGroup
	Positions                                                  []positionFields
	Previewed                                                  bool
	Preview                                                    []string
	PreviewMore                                                int
	PreviewSummary                                             string
}

// inputs lists every input in page order: the error summary follows it.
func (d *demandFormData) inputs() ([]*inputField, []*choiceGroup, []string) {
	fields := []*inputField{&d.Title, &d.ProblemType, &d.Area, &d.Priority, &d.BookingMode, &d.MenteeRef, &d.Description,
		&d.Location, &d.Briefing, &d.StartDate, &d.StartTime, &d.EndTime}
	groups := []*choiceGroup{&d.Repeat, &d.Days}
	order := []string{}
	for _, f := range fields {
		order = append(order, f.ID)
	}
	order = append(order, d.Repeat.ID, d.Days.ID, d.Count.ID, d.Until.ID, d.ExDates.ID)
	fields = append(fields, &d.Count, &d.Until, &d.ExDates)
	for i := range d.Positions {
		p := &d.Positions[i]
		fields = append(fields, &p.Name, &p.MinVetting, &p.Supervision, &p.Headcount, &p.MinCount)
		groups = append(groups, &p.Kinds, &p.Skills)
		order = append(order, p.Name.ID, p.Kinds.ID, p.Skills.ID, p.MinVetting.ID, p.Supervision.ID, p.Headcount.ID, p.MinCount.ID)
	}
	return fields, groups, order
}

// demandForm is the form as posted (or empty), kept whole for re-showing.
type demandForm struct {
	values map[string]string
	multi  map[string][]string
}

func readDemandForm(c *fiber.Ctx) demandForm {
	f := demandForm{values: map[string]string{}, multi: map[string][]string{}}
	args := c.Request().PostArgs()
	args.VisitAll(func(k, v []byte) {
		key := string(k)
		f.values[key] = string(v)
		f.multi[key] = append(f.multi[key], string(v))
	})
	return f
}

func (f demandForm) get(k string) string { return strings.TrimSpace(f.values[k]) }

func rowID(i int, name string) string { return fmt.Sprintf("positions-%d-%s", i, name) }

// demandFormView builds the form's inputs from what was posted.
func (s *Server) demandFormView(c *fiber.Ctx, f demandForm) (*demandFormData, error) {
	ctx, p := c.UserContext(), principal(c)
	areas, err := s.app.CoordinatedAreas(ctx, p)
	if err != nil {
		return nil, err
	}
	skills, err := s.app.Skills(ctx, p, "", 1000)
	if err != nil {
		return nil, err
	}
	var areaOpts []choice
	if len(areas) != 1 {
		areaOpts = append(areaOpts, choice{Value: "", Label: "Choose an area"})
	}
	for _, a := range areas {
		areaOpts = append(areaOpts, choice{Value: a.Code, Label: a.Name + " (" + a.Code + ")"})
	}
	problemOpts := []choice{{Value: "", Label: "Choose a problem type"}}
	for _, pt := range domain.ProblemTypes {
		problemOpts = append(problemOpts, choice{Value: string(pt), Label: problemTypeNames[pt]})
	}
	var priorityOpts []choice
	for n := 1; n <= 5; n++ {
		priorityOpts = append(priorityOpts, choice{Value: strconv.Itoa(n), Label: fmt.Sprintf("%d – %s", n, priorityNames[n])})
	}
	priority := f.get("priority")
	if priority == "" {
		priority = "3"
	}
	repeat := f.get("repeat")
	if repeat == "" {
		repeat = "none"
	}
	d := &demandFormData{
		Title:       inputField{ID: "title", Name: "title", Label: "Title", Hint: "What members will see, for example Market square evening patrol", Value: f.get("title"), Type: "text"},
		ProblemType: selectField("problem_type", "Problem type", "", f.get("problem_type"), problemOpts),
		Area:        selectField("area", "Area", "Only the areas you coordinate", f.get("area"), areaOpts),
		Priority:    selectField("priority", "Priority", "Open places of higher priority are filled first", priority, priorityOpts),
		BookingMode: selectField("booking_mode", "How members get a place", "", f.get("booking_mode"), []choice{
			{Value: "open", Label: "Open: booking confirms at once"},
			{Value: "approval", Label: "Approval: a coordinator approves each booking"},
			{Value: "assigned", Label: "Assigned: only coordinators or the matcher place members"}}),
		LoneWorking: newGroup("lone_working", "Lone working", "", "checkbox", []choice{{Value: "yes",
			Label: "People work alone on these shifts: they book on and off duty, and a missed off duty alerts you and their emergency contact"}},
			f.multi["lone_working"]),
		MenteeRef:   inputField{ID: "mentee_ref", Name: "mentee_ref", Label: "Mentee reference (mentoring only)", Hint: "A made-up reference, never the mentee's name", Value: f.get("mentee_ref"), Type: "text", Class: "input-short"},
		Description: inputField{ID: "description", Name: "description", Label: "Description (optional)", Hint: "What the shift is for; members see this before booking", Value: f.values["description"], Type: "textarea"},
		Location:    inputField{ID: "location", Name: "location", Label: "Where to meet (optional)", Hint: "For example Durham police station front desk", Value: f.get("location"), Type: "text"},
		Briefing:    inputField{ID: "briefing", Name: "briefing", Label: "Briefing notes (optional)", Hint: "Only members with a place see these", Value: f.values["briefing"], Type: "textarea"},
		StartDate:   inputField{ID: "start_date", Name: "start_date", Label: "Date of the first shift", Hint: "For example 2027-01-08", Value: f.get("start_date"), Type: "date", Class: "input-short"},
		StartTime:   inputField{ID: "start_time", Name: "start_time", Label: "Start time", Hint: "24-hour clock, for example 18:00", Value: f.get("start_time"), Type: "time", Class: "input-short"},
		EndTime:     inputField{ID: "end_time", Name: "end_time", Label: "End time", Hint: "If it is before the start time, the shift ends the next day", Value: f.get("end_time"), Type: "time", Class: "input-short"},
		Repeat: newGroup("repeat", "Repeat", "", "radio", []choice{{Value: "none", Label: "Once only"}, {Value: "daily", Label: "Every day"},
			{Value: "weekly", Label: "Every week"}}, []string{repeat}),
		Days: newGroup("days", "Days of the week (weekly only)", "The series starts on the first ticked day on or after the date of the first shift. Leave all unticked to repeat on that date's day", "checkbox",
			append([]choice(nil), coordDays...), f.multi["days"]),
		Count: inputField{ID: "count", Name: "count", Label: "How many shifts", Hint: "Give this or the last date, not both", Value: f.get("count"),
			Type: "text", InputMode: "numeric", Class: "input-short"},
		Until:   inputField{ID: "until", Name: "until", Label: "Last date", Hint: "The series stops after this date", Value: f.get("until"), Type: "date", Class: "input-short"},
		ExDates: inputField{ID: "exdates", Name: "exdates", Label: "Dates to leave out (optional)", Hint: "Dates of the series with no shift, separated by commas, for example 2027-01-15, 2027-01-22", Value: f.get("exdates"), Type: "text"},
	}
	for i := 0; i < demandRows; i++ {
		var kinds []choice
		for _, k := range []choice{{Value: "volunteer", Label: "Volunteer"}, {Value: "bank_officer", Label: "Bank officer"}, {Value: "mentor", Label: "Mentor"}} {
			kinds = append(kinds, k)
		}
		var skillOpts []choice
		for _, k := range skills {
			skillOpts = append(skillOpts, choice{Value: k.Code, Label: k.Name})
		}
		n := i + 1
		d.Positions = append(d.Positions, positionFields{Number: n,
			Name: inputField{ID: rowID(i, "name"), Name: rowID(i, "name"), Label: "Name", Hint: "For example Patroller or Team lead",
				Value: f.get(rowID(i, "name")), Type: "text"},
			Kinds: newGroup(rowID(i, "kinds"), "Who can fill it", "", "checkbox", kinds, f.multi[rowID(i, "kinds")]),
			Skills: newGroup(rowID(i, "skills"), "Skills needed", "Members must hold every skill ticked", "checkbox", skillOpts,
				f.multi[rowID(i, "skills")]),
			MinVetting: selectField(rowID(i, "min_vetting"), "Minimum vetting", "", f.get(rowID(i, "min_vetting")), []choice{
				{Value: "none", Label: "None"}, {Value: "NPPV1", Label: "NPPV1"}, {Value: "NPPV2", Label: "NPPV2"}, {Value: "NPPV3", Label: "NPPV3"}}),
			Supervision: selectField(rowID(i, "supervision"), "Supervised members",
				"Allowed: a member with a conditional clearance may take a place while a supervisor is booked on the shift",
				f.get(rowID(i, "supervision")), []choice{{Value: "none", Label: "Not allowed"}, {Value: "allowed", Label: "Allowed"}}),
			Headcount: inputField{ID: rowID(i, "headcount"), Name: rowID(i, "headcount"), Label: "Places", Hint: "How many people",
				Value: f.get(rowID(i, "headcount")), Type: "text", InputMode: "numeric", Class: "input-short"},
			MinCount: inputField{ID: rowID(i, "min_headcount"), Name: rowID(i, "min_headcount"), Label: "Fewest to go ahead (optional)",
				Hint: "Below this two days before, the shift is flagged at risk", Value: f.get(rowID(i, "min_headcount")), Type: "text",
				InputMode: "numeric", Class: "input-short"},
		})
	}
	return d, nil
}

var exdateSplit = regexp.MustCompile(`[\s,;]+`)

// demandInput converts the form into the app's input, with the form's own
// errors (malformed numbers, dates and times) by input ID. rows maps each
// posted position to its row on the form.
func (s *Server) demandInput(f demandForm, errs formErrors) (app.DemandInput, []int) {
	zone := s.app.Config.TimeZone
	in := app.DemandInput{Title: f.get("title"), Description: strings.TrimSpace(f.values["description"]), ProblemType: f.get("problem_type"),
		Area: f.get("area"), Briefing: strings.TrimSpace(f.values["briefing"]), BookingMode: f.get("booking_mode"),
		MenteeRef: f.get("mentee_ref"), TimeZone: zone.String(), LoneWorking: f.get("lone_working") == "yes"}
	if loc := f.get("location"); loc != "" {
		in.Location = &domain.Location{Description: loc}
	}
	if n, ok := atoiField(errs, "priority", f.get("priority"), "Choose a priority from 1 (routine) to 5 (urgent)"); ok {
		in.Priority = n
	}
	date, err := domain.ParseDate(f.get("start_date"))
	switch {
	case f.get("start_date") == "":
		errs.add("start_date", "Enter the date of the first shift")
	case err != nil:
		errs.add("start_date", "Enter the date of the first shift as a date, for example 2027-01-08")
	}
	start, okStart := minutesOf(f.get("start_time"))
	if !okStart {
		errs.add("start_time", "Enter the start time as hours and minutes, for example 18:00")
	}
	end, okEnd := minutesOf(f.get("end_time"))
	if !okEnd {
		errs.add("end_time", "Enter the end time as hours and minutes, for example 22:00")
	}
	if err == nil && okStart && okEnd {
		in.StartLocal, in.EndLocal = wallTimes(date, start, end)
	}
	switch repeat := f.get("repeat"); repeat {
	case "", "none":
	case "daily", "weekly":
		rule := "FREQ=" + strings.ToUpper(repeat)
		if repeat == "weekly" {
			var days []string
			for _, d := range coordDays {
				for _, picked := range f.multi["days"] {
					if picked == d.Value {
						days = append(days, d.Value)
					}
				}
			}
			if len(days) > 0 {
				rule += ";BYDAY=" + strings.Join(days, ",")
				// A series starts on one of its days (RFC 5545): the first
				// shift is the first ticked day on or after the date given.
				if err == nil && okStart && okEnd {
					date = firstTicked(date, days)
					in.StartLocal, in.EndLocal = wallTimes(date, start, end)
				}
			}
		}
		count, until := f.get("count"), f.get("until")
		switch {
		case count == "" && until == "":
			errs.add("count", "Enter how many shifts to create, or the last date")
		case count != "" && until != "":
			errs.add("until", "Enter how many shifts or the last date, not both")
		case count != "":
			if n, ok := atoiField(errs, "count", count, "Enter how many shifts as a whole number, for example 6"); ok {
				rule += ";COUNT=" + strconv.Itoa(n)
			}
		default:
			if u, err := domain.ParseDate(until); err != nil {
				errs.add("until", "Enter the last date as a date, for example 2027-03-31")
			} else {
				rule += fmt.Sprintf(";UNTIL=%04d%02d%02d", u.Year, int(u.Month), u.Day)
			}
		}
		in.RRule = rule
	default:
		errs.add("repeat", "Choose once only, every day or every week")
	}
	if ex := f.get("exdates"); ex != "" {
		for _, v := range exdateSplit.Split(ex, -1) {
			if v == "" {
				continue
			}
			d, err := domain.ParseDate(v)
			if err != nil {
				errs.add("exdates", fmt.Sprintf("%q is not a date: enter dates like 2027-01-15, separated by commas", v))
				continue
			}
			if okStart {
				in.ExDates = append(in.ExDates, fmt.Sprintf("%sT%02d:%02d", d, start/60, start%60))
			}
		}
	}
	var rows []int
	for i := 0; i < demandRows; i++ {
		get := func(name string) string { return f.get(rowID(i, name)) }
		if get("name") == "" && get("headcount") == "" && get("min_headcount") == "" &&
			len(f.multi[rowID(i, "kinds")]) == 0 && len(f.multi[rowID(i, "skills")]) == 0 {
			continue
		}
		pos := app.PositionInput{Name: get("name"), Kinds: f.multi[rowID(i, "kinds")], Skills: f.multi[rowID(i, "skills")],
			MinVetting: get("min_vetting"), Supervision: get("supervision")}
		if pos.Skills == nil {
			pos.Skills = []string{}
		}
		if n, ok := atoiField(errs, rowID(i, "headcount"), get("headcount"), fmt.Sprintf("Position %d: enter the places as a whole number, for example 2", i+1)); ok {
			pos.Headcount = n
		}
		if n, ok := atoiField(errs, rowID(i, "min_headcount"), get("min_headcount"), fmt.Sprintf("Position %d: enter the fewest to go ahead as a whole number", i+1)); ok {
			pos.MinHeadcount = &n
		}
		in.Positions = append(in.Positions, pos)
		rows = append(rows, i)
	}
	return in, rows
}

// wallTimes are a shift's start and end local times; an end at or before
// the start is the next day.
func wallTimes(date domain.Date, start, end int) (string, string) {
	endDate := date
	if end <= start {
		endDate = date.AddDays(1)
	}
	return fmt.Sprintf("%sT%02d:%02d", date, start/60, start%60), fmt.Sprintf("%sT%02d:%02d", endDate, end/60, end%60)
}

// firstTicked is the first date on or after d that falls on one of days
// (MO, TU, …).
func firstTicked(d domain.Date, days []string) domain.Date {
	for i := 0; i < 7; i++ {
		next := d.AddDays(i)
		wd := time.Date(next.Year, next.Month, next.Day, 12, 0, 0, 0, time.UTC).Weekday()
		code := coordDays[(int(wd)+6)%7].Value
		for _, day := range days {
			if day == code {
				return next
			}
		}
	}
	return d
}

// minutesOf parses "HH:MM" into minutes after midnight.
func minutesOf(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

var positionFieldRe = regexp.MustCompile(`^positions\[(\d+)\]\.([a-z_]+)`)

// demandFieldID finds the input a field error from the app belongs to, and
// says the error as a sentence naming it.
func demandFieldID(fe domain.FieldError, rows []int, repeating bool) (string, string) {
	if m := positionFieldRe.FindStringSubmatch(fe.Field); m != nil {
		k, _ := strconv.Atoi(m[1])
		row := 0
		if k < len(rows) {
			row = rows[k]
		}
		labels := map[string]string{"name": "name", "kinds": "who can fill it", "skills": "skills", "min_vetting": "minimum vetting",
			"dbs": "minimum vetting", "headcount": "places", "min_headcount": "fewest to go ahead",
			"supervision": "supervised members"}
		name := m[2]
		if name == "dbs" || labels[name] == "" {
			name = "min_vetting"
		}
		msg := fe.Message
		if name == "kinds" {
			msg = "must name at least one: volunteer, bank officer or mentor"
		}
		return rowID(row, name), positionSentence(row+1, labels[name], msg)
	}
	field := fe.Field
	if i := strings.IndexAny(field, ".["); i >= 0 {
		field = field[:i]
	}
	ids := map[string]string{"title": "title", "problem_type": "problem_type", "area": "area", "priority": "priority",
		"booking_mode": "booking_mode", "mentee_ref": "mentee_ref", "description": "description", "location": "location",
		"briefing": "briefing", "start_local": "start_date", "timezone": "start_date", "end_local": "end_time", "until": "until",
		"exdates": "exdates", "positions": rowID(0, "name")}
	labels := map[string]string{"title": "Title", "problem_type": "Problem type", "area": "Area", "priority": "Priority",
		"booking_mode": "How members get a place", "mentee_ref": "Mentee reference", "description": "Description",
		"location": "Where to meet", "briefing": "Briefing notes", "start_date": "The first shift's start",
		"end_time": "The end time", "until": "The last date", "exdates": "A date to leave out", "count": "How many shifts", "repeat": "Repeat"}
	id, ok := ids[field]
	if field == "rrule" {
		id, ok = "repeat", true
		if repeating {
			id = "count"
		}
	}
	if !ok {
		id = "title"
	}
	return id, ledBy(labels[id], apiWords.Replace(fe.Message))
}

// apiWords turns the API's field names in a message into the form's words.
var apiWords = strings.NewReplacer("start_local", "the first shift's start", "end_local", "the end", "COUNT", "the number of shifts", "UNTIL", "the last date")

// positionSentence is "Position 2 places must be from 1 to 500".
func positionSentence(n int, label, msg string) string {
	return fmt.Sprintf("Position %d %s", n, ledBy(label, msg))
}

func (s *Server) demandFormPage(c *fiber.Ctx) error {
	d, err := s.demandFormView(c, demandForm{values: map[string]string{"booking_mode": "open"}, multi: map[string][]string{}})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "coord_demand", pageView{Title: "Post demand", Nav: "demand", Data: d})
}

// postDemandForm previews the dates ("preview" button) or posts the demand.
func (s *Server) postDemandForm(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	f := readDemandForm(c)
	d, err := s.demandFormView(c, f)
	if err != nil {
		return err
	}
	errs := formErrors{}
	in, rows := s.demandInput(f, errs)
	repeating := in.RRule != ""
	preview := c.FormValue("action") == "preview"
	view := pageView{Title: "Post demand", Nav: "demand", Data: d}
	show := func(status int) error {
		fields, groups, order := d.inputs()
		for _, fld := range fields {
			fld.Error = errs[fld.ID]
		}
		for _, g := range groups {
			g.Error = errs[g.ID]
		}
		view.Errors = errs.summary(order)
		return s.render(c, status, "coord_demand", view)
	}
	if len(errs) > 0 {
		return show(fiber.StatusUnprocessableEntity)
	}
	mapErr := func(err error) error {
		fields, ok := invalidFields(err)
		if !ok {
			return err
		}
		for _, fe := range fields {
			id, msg := demandFieldID(fe, rows, repeating)
			errs.add(id, msg)
		}
		return show(fiber.StatusUnprocessableEntity)
	}
	if preview {
		occ, err := s.app.PreviewDemand(ctx, p, in)
		if err != nil {
			return mapErr(err)
		}
		d.Previewed = true
		d.PreviewSummary = "It will create " + countOf(len(occ), "shift", "shifts") + ":"
		zone := s.app.Config.TimeZone
		for i, o := range occ {
			if i == 100 {
				d.PreviewMore = len(occ) - i
				break
			}
			d.Preview = append(d.Preview, whenInZone(zone, o.Start, o.End))
		}
		view.Title = "Post demand: preview"
		return show(fiber.StatusOK)
	}
	posted, err := s.app.PostDemand(ctx, p, in)
	if err != nil {
		return mapErr(err)
	}
	first := posted.Shifts[0]
	s.flash(c, fmt.Sprintf("Posted %s: %s, the first on %s.", posted.Title, countOf(len(posted.Shifts), "shift", "shifts"),
		s.when(posted, first.Start, first.End)))
	return c.Redirect("/coord/board?week="+isoWeekOf(first.Start.In(s.app.Config.TimeZone)), fiber.StatusSeeOther)
}

// whenInZone formats a time range in zone as the member's pages do.
func whenInZone(zone *time.Location, start, end time.Time) string {
	st, en := start.In(zone), end.In(zone)
	if en.Sub(st) < 24*time.Hour {
		return st.Format("Mon 2 Jan 2006, 15:04") + "–" + en.Format("15:04")
	}
	return st.Format("Mon 2 Jan 2006, 15:04") + " to " + en.Format("Mon 2 Jan, 15:04")
}

// isoWeekOf formats the ISO week of t as an HTML week input does: 2027-W01.
func isoWeekOf(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}
