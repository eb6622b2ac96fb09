package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// Changing and cancelling demand from the pages: one form edits the
// series' future shifts (times, title, positions and their requirements,
// and one more position), another cancels the whole demand, a third on the
// roster cancels one shift. Each answers with what happened to every
// booking it touched: kept, or cancelled and why.

type demandEditData struct {
	ID, Title, Series string
	Fields            struct{ Title, StartTime, EndTime inputField }
	LoneWorking       choiceGroup
	Positions         []positionFields
	Reason            inputField
}

// inputs lists the form's inputs in page order, for the error summary.
func (d *demandEditData) inputs() ([]*inputField, []*choiceGroup, []string) {
	fields := []*inputField{&d.Fields.Title, &d.Fields.StartTime, &d.Fields.EndTime}
	groups := []*choiceGroup{&d.LoneWorking}
	order := []string{d.Fields.Title.ID, d.LoneWorking.ID, d.Fields.StartTime.ID, d.Fields.EndTime.ID}
	for i := range d.Positions {
		p := &d.Positions[i]
		fields = append(fields, &p.Name, &p.MinVetting, &p.Headcount, &p.MinCount)
		groups = append(groups, &p.Kinds, &p.Skills)
		order = append(order, p.Name.ID, p.Kinds.ID, p.Skills.ID, p.MinVetting.ID, p.Headcount.ID, p.MinCount.ID)
	}
	return fields, groups, order
}

// timeOf is the HH:MM of a stored local wall time YYYY-MM-DDTHH:MM.
func timeOf(local string) string {
	if i := strings.IndexByte(local, 'T'); i >= 0 {
		return local[i+1:]
	}
	return ""
}

// demandEditForm is the form filled from the stored demand.
func demandEditForm(d domain.Demand) demandForm {
	f := demandForm{values: map[string]string{"title": d.Title, "start_time": timeOf(d.StartLocal), "end_time": timeOf(d.EndLocal)},
		multi: map[string][]string{}}
	if d.LoneWorking {
		f.multi["lone_working"] = []string{"yes"}
	}
	for i, p := range d.Positions {
		f.values[rowID(i, "name")] = p.Name
		f.values[rowID(i, "min_vetting")] = string(p.MinVetting)
		f.values[rowID(i, "headcount")] = strconv.Itoa(p.Headcount)
		if p.MinHeadcount != nil {
			f.values[rowID(i, "min_headcount")] = strconv.Itoa(*p.MinHeadcount)
		}
		f.multi[rowID(i, "kinds")] = strs(p.Kinds)
		f.multi[rowID(i, "skills")] = p.Skills
	}
	return f
}

func (s *Server) demandEditView(c *fiber.Ctx, d domain.Demand, f demandForm) (*demandEditData, error) {
	// The posting form's position rows, one per position and one more to add.
	base, err := s.demandFormView(c, f)
	if err != nil {
		return nil, err
	}
	v := &demandEditData{ID: d.ID, Title: d.Title, Series: d.RRule, LoneWorking: base.LoneWorking}
	v.Fields.Title = inputField{ID: "title", Name: "title", Label: "Title", Value: f.get("title"), Type: "text"}
	v.Fields.StartTime = inputField{ID: "start_time", Name: "start_time", Label: "Start time", Hint: "24-hour clock, for example 18:00. Shifts yet to start move to it",
		Value: f.get("start_time"), Type: "time", Class: "input-short"}
	v.Fields.EndTime = inputField{ID: "end_time", Name: "end_time", Label: "End time", Hint: "If it is before the start time, the shift ends the next day",
		Value: f.get("end_time"), Type: "time", Class: "input-short"}
	v.Reason = inputField{ID: "reason", Name: "reason", Label: "Why it is cancelled (optional)", Hint: "Everyone booked is told this", Type: "text"}
	for i := 0; i <= len(d.Positions); i++ {
		var row positionFields
		if i < len(base.Positions) {
			row = base.Positions[i]
		} else {
			// Build one more row the way the posting form builds its rows.
			more, err := s.demandFormView(c, demandForm{values: f.values, multi: f.multi})
			if err != nil {
				return nil, err
			}
			row = more.Positions[0]
			row = reRow(row, i, f)
		}
		row.Number = i + 1
		v.Positions = append(v.Positions, row)
	}
	return v, nil
}

// reRow renames a position row to row i and fills it from the form.
func reRow(row positionFields, i int, f demandForm) positionFields {
	rename := func(in inputField, name string) inputField {
		in.ID, in.Name, in.Value, in.Error = rowID(i, name), rowID(i, name), f.get(rowID(i, name)), ""
		return in
	}
	row.Name, row.Headcount, row.MinCount = rename(row.Name, "name"), rename(row.Headcount, "headcount"), rename(row.MinCount, "min_headcount")
	row.MinVetting = selectField(rowID(i, "min_vetting"), row.MinVetting.Label, row.MinVetting.Hint, f.get(rowID(i, "min_vetting")), row.MinVetting.Options)
	regroup := func(g choiceGroup, name string) choiceGroup {
		opts := make([]choice, len(g.Choices))
		for j, ch := range g.Choices {
			opts[j] = choice{Value: ch.Value, Label: ch.Label}
		}
		return newGroup(rowID(i, name), g.Legend, g.Hint, g.Type, opts, f.multi[rowID(i, name)])
	}
	row.Kinds, row.Skills = regroup(row.Kinds, "kinds"), regroup(row.Skills, "skills")
	return row
}

func (s *Server) demandEditPage(c *fiber.Ctx) error {
	d, err := s.app.GetDemand(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	v, err := s.demandEditView(c, d, demandEditForm(d))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "coord_demand_edit", pageView{Title: "Change " + d.Title, Nav: "board", Data: v})
}

// postDemandEdit saves the form: only what differs from the stored demand
// is sent as a change, so an untouched time does not re-check anyone.
func (s *Server) postDemandEdit(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	d, err := s.app.GetDemand(ctx, p, c.Params("id"))
	if err != nil {
		return err
	}
	f := readDemandForm(c)
	v, err := s.demandEditView(c, d, f)
	if err != nil {
		return err
	}
	errs := formErrors{}
	up := app.DemandUpdate{}
	if t := f.get("title"); t != d.Title {
		up.Title = &t
	}
	if lone := f.get("lone_working") == "yes"; lone != d.LoneWorking {
		up.LoneWorking = &lone
	}
	start, okStart := minutesOf(f.get("start_time"))
	end, okEnd := minutesOf(f.get("end_time"))
	if !okStart {
		errs.add("start_time", "Enter the start time as hours and minutes, for example 18:00")
	}
	if !okEnd {
		errs.add("end_time", "Enter the end time as hours and minutes, for example 22:00")
	}
	if okStart && okEnd && (f.get("start_time") != timeOf(d.StartLocal) || f.get("end_time") != timeOf(d.EndLocal)) {
		date, err := domain.ParseDate(strings.SplitN(d.StartLocal, "T", 2)[0])
		if err != nil {
			return err
		}
		sl, el := wallTimes(date, start, end)
		up.StartLocal, up.EndLocal = &sl, &el
	}
	for i := 0; i <= len(d.Positions); i++ {
		name := f.get(rowID(i, "name"))
		if i == len(d.Positions) && name == "" && f.get(rowID(i, "headcount")) == "" {
			break // the row to add a position, left empty
		}
		pu := app.PositionUpdate{Name: &name}
		if i < len(d.Positions) {
			pu.ID = d.Positions[i].ID
		}
		kinds, skills := f.multi[rowID(i, "kinds")], f.multi[rowID(i, "skills")]
		if skills == nil {
			skills = []string{}
		}
		vetting := f.get(rowID(i, "min_vetting"))
		pu.Kinds, pu.Skills, pu.MinVetting = &kinds, &skills, &vetting
		if n, ok := atoiField(errs, rowID(i, "headcount"), f.get(rowID(i, "headcount")), "Enter the number of places as a whole number, for example 2"); ok {
			pu.Headcount = &n
		} else if f.get(rowID(i, "headcount")) == "" {
			errs.add(rowID(i, "headcount"), fmt.Sprintf("Position %d: enter the number of places", i+1))
		}
		if n, ok := atoiField(errs, rowID(i, "min_headcount"), f.get(rowID(i, "min_headcount")), "Enter the fewest to go ahead as a whole number, or leave it empty"); ok {
			pu.MinHeadcount = &n
		}
		up.Positions = append(up.Positions, pu)
	}
	view := pageView{Title: "Change " + d.Title, Nav: "board", Data: v}
	show := func() error {
		fields, groups, order := v.inputs()
		for _, fld := range fields {
			fld.Error = errs[fld.ID]
		}
		for _, g := range groups {
			g.Error = errs[g.ID]
		}
		view.Errors = errs.summary(order)
		return s.render(c, fiber.StatusUnprocessableEntity, "coord_demand_edit", view)
	}
	if len(errs) > 0 {
		return show()
	}
	ch, err := s.app.UpdateDemand(ctx, p, d.ID, up)
	if err != nil {
		fields, ok := invalidFields(err)
		if !ok {
			if code := domain.ErrorCode(err); code == domain.EConflict || code == domain.ERefused {
				errs.add("title", "Not saved: "+domain.ErrorMessage(err))
				return show()
			}
			return err
		}
		for _, fe := range fields {
			id, msg := editFieldID(fe)
			errs.add(id, msg)
		}
		return show()
	}
	return s.renderChange(c, "Changes saved to "+ch.Demand.Title, "", ch.Bookings, "/coord/demands/"+d.ID+"/edit")
}

// editFieldID maps an app field (positions[1].headcount) to the form's input.
func editFieldID(fe domain.FieldError) (string, string) {
	field := fe.Field
	switch field {
	case "start_local":
		return "start_time", ledBy("Start time", fe.Message)
	case "end_local":
		return "end_time", ledBy("End time", fe.Message)
	case "title":
		return "title", ledBy("Title", fe.Message)
	}
	var i int
	var rest string
	if n, _ := fmt.Sscanf(field, "positions[%d].%s", &i, &rest); n == 2 {
		rest = indexSuffix.ReplaceAllString(rest, "")
		labels := map[string]string{"name": "name", "kinds": "who can fill it", "skills": "skills", "min_vetting": "minimum vetting",
			"headcount": "places", "min_headcount": "fewest to go ahead"}
		return rowID(i, rest), positionSentence(i+1, labels[rest], fe.Message)
	}
	return "title", ledBy("", fe.Message)
}

type outcomeLine struct {
	Name, Position string
	Reasons        []string
}

type changeData struct {
	Heading, Lead, Back string
	Kept, Cancelled     []outcomeLine
}

// renderChange shows what a change did to each booking it touched.
func (s *Server) renderChange(c *fiber.Ctx, heading, lead string, ch app.BookingChanges, back string) error {
	line := func(o app.BookingOutcome) outcomeLine {
		name := o.MemberName
		if name == "" {
			name = "A member no longer on record"
		}
		return outcomeLine{Name: name, Reasons: domain.FailedWords(o.Rules)}
	}
	data := changeData{Heading: heading, Lead: lead, Back: back}
	for _, o := range ch.Kept {
		data.Kept = append(data.Kept, line(o))
	}
	for _, o := range ch.Cancelled {
		data.Cancelled = append(data.Cancelled, line(o))
	}
	return s.render(c, fiber.StatusOK, "coord_change", pageView{Title: heading, Nav: "board", Data: data})
}

func (s *Server) postCancelDemand(c *fiber.Ctx) error {
	ch, err := s.app.CancelDemand(c.UserContext(), principal(c), c.Params("id"), strings.TrimSpace(c.FormValue("reason")))
	if err != nil {
		return err
	}
	return s.renderChange(c, "Cancelled "+ch.Demand.Title, "Every shift of it yet to start is cancelled.", ch.Bookings, "/coord/board")
}

func (s *Server) postCancelShift(c *fiber.Ctx) error {
	ch, err := s.app.CancelShift(c.UserContext(), principal(c), c.Params("id"), strings.TrimSpace(c.FormValue("reason")))
	if err != nil {
		if domain.ErrorCode(err) == domain.EConflict {
			s.flash(c, "Not done: "+domain.ErrorMessage(err))
			return c.Redirect("/coord/shifts/"+c.Params("id"), fiber.StatusSeeOther)
		}
		return err
	}
	v := ch.Shift
	return s.renderChange(c, "Cancelled the shift", v.Demand.Title+", "+s.when(v.Demand, v.Shift.Start, v.Shift.End)+".",
		ch.Bookings, "/coord/shifts/"+v.Shift.ID)
}
