package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The admin's pages: members (search, add, skills, clearances with expiry
// warnings), the skill catalogue and the area tree. Anyone but an admin is
// told there is nothing at these addresses.

// adminOnly answers 404 to anyone but an admin, so the pages do not reveal
// that they exist.
func (s *Server) adminOnly(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !principal(c).IsAdmin() {
			return nothingHere()
		}
		return h(c)
	}
}

// formValues reads the trimmed values of the named fields.
func formValues(c *fiber.Ctx, ids ...string) map[string]string {
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		out[id] = strings.TrimSpace(c.FormValue(id))
	}
	return out
}

// optionalFloat reads a number field that may be left empty.
func optionalFloat(v *pageView, id, msg string) *float64 {
	s := v.Form[id]
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		v.Errors = append(v.Errors, domain.FieldError{Field: id, Message: msg})
		return nil
	}
	return &f
}

// optionalInt reads a whole-number field that may be left empty.
func optionalInt(v *pageView, id, msg string) *int {
	s := v.Form[id]
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.Errors = append(v.Errors, domain.FieldError{Field: id, Message: msg})
		return nil
	}
	return &n
}

// option is one <option> of a select.
type option struct {
	Value, Label string
	Selected     bool
}

func options(selected string, pairs ...string) []option {
	var out []option
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, option{Value: pairs[i], Label: pairs[i+1], Selected: pairs[i] == selected})
	}
	return out
}

func (s *Server) areaOptions(c *fiber.Ctx, selected string) ([]option, error) {
	areas, err := s.app.Areas(c.UserContext(), principal(c), "", 1000)
	if err != nil {
		return nil, err
	}
	var pairs []string
	for _, a := range areas {
		pairs = append(pairs, a.Code, a.Name+" ("+a.Code+")")
	}
	return options(selected, pairs...), nil
}

// kindWords names a member's kinds: "Volunteer, Bank officer".
func kindWords(ks []domain.Kind) string {
	var ws []string
	for _, k := range ks {
		ws = append(ws, upperFirst(strings.ReplaceAll(string(k), "_", " ")))
	}
	return strings.Join(ws, ", ")
}

type memberRow struct{ ID, Name, Email, Kinds, Area, Status string }

type adminMembersData struct {
	Query       string
	Members     []memberRow
	More        bool
	Next, First string // the next page and, past the first, the first
}

// adminMembersPage searches members by name or email.
func (s *Server) adminMembersPage(c *fiber.Ctx) error {
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	const limit = 50
	after := c.Query("after")
	ms, err := s.app.Members(c.UserContext(), principal(c), q, after, limit+1)
	if err != nil {
		return err
	}
	areas, err := s.app.Areas(c.UserContext(), principal(c), "", 10000)
	if err != nil {
		return err
	}
	data := adminMembersData{Query: q, More: len(ms) > limit}
	search := url.Values{}
	if q != "" {
		search.Set("q", q)
	}
	if after != "" {
		data.First = "/admin/members?" + search.Encode()
	}
	for i, m := range ms {
		if i == limit {
			search.Set("after", ms[i-1].ID)
			data.Next = "/admin/members?" + search.Encode()
			break
		}
		data.Members = append(data.Members, memberRow{ID: m.ID, Name: m.Name, Email: m.Email, Kinds: kindWords(m.Kinds),
			Area: areaName(areas, m.HomeAreaCode), Status: upperFirst(string(m.Status))})
	}
	slices.SortStableFunc(data.Members, func(a, b memberRow) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return s.render(c, fiber.StatusOK, "admin_members", pageView{Title: "Members", Nav: "admin-members", Form: map[string]string{"q": q}, Data: data})
}

type kindBox struct {
	Value, Label string
	Checked      bool
}

type newMemberData struct {
	Inputs     map[string]inputField
	Kinds      []kindBox
	KindsError string
	Areas      []option
	AreaError  string
}

var newMemberInputs = []inputField{
	{ID: "name", Label: "Full name", Autocomplete: "off"},
	{ID: "email", Label: "Email address", Type: "email", Autocomplete: "off"},
	{ID: "phone", Label: "Phone (optional)", Type: "tel"},
	{ID: "lat", Label: "Home latitude (optional)", Hint: "Decimal degrees, for example 54.776. Give both latitude and longitude, or neither.", InputMode: "decimal"},
	{ID: "lon", Label: "Home longitude (optional)", Hint: "Decimal degrees, for example -1.575", InputMode: "decimal"},
	{ID: "travel_km", Label: "How far they will travel, in km (optional)", Hint: "Leave empty for 10 km", InputMode: "decimal"},
}

var newMemberFields = map[string]pageField{
	"":          {ID: "name", Label: "Member"},
	"name":      {ID: "name", Label: "Name"},
	"email":     {ID: "email", Label: "Email"},
	"phone":     {ID: "phone", Label: "Phone"},
	"kinds":     {ID: "kinds", Label: "Kind"},
	"home_area": {ID: "home_area", Label: "Home area"},
	"lat":       {ID: "lat", Label: "Latitude"},
	"lon":       {ID: "lon", Label: "Longitude"},
	"travel_km": {ID: "travel_km", Label: "Travel distance"},
}

var memberKinds = []string{"volunteer", "Volunteer", "bank_officer", "Bank officer", "mentor", "Mentor"}

func (s *Server) newMemberPage(c *fiber.Ctx) error {
	return s.renderNewMember(c, fiber.StatusOK, pageView{Title: "Add a member", Nav: "admin-members"}, nil)
}

func (s *Server) renderNewMember(c *fiber.Ctx, status int, view pageView, kinds []string) error {
	data := newMemberData{Inputs: fillInputs(view, newMemberInputs...), KindsError: fieldError(view, "kinds"), AreaError: fieldError(view, "home_area")}
	for i := 0; i+1 < len(memberKinds); i += 2 {
		data.Kinds = append(data.Kinds, kindBox{Value: memberKinds[i], Label: memberKinds[i+1], Checked: slices.Contains(kinds, memberKinds[i])})
	}
	var err error
	if data.Areas, err = s.areaOptions(c, view.Form["home_area"]); err != nil {
		return err
	}
	view.Data = data
	return s.render(c, status, "admin_member_new", view)
}

func (s *Server) postNewMember(c *fiber.Ctx) error {
	view := pageView{Title: "Add a member", Nav: "admin-members", Form: formValues(c, "name", "email", "phone", "home_area", "lat", "lon", "travel_km")}
	var kinds []string
	for _, v := range c.Request().PostArgs().PeekMulti("kinds") {
		if k := string(v); slices.Contains(memberKinds, k) && !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	in := app.NewMember{Name: view.Form["name"], Email: view.Form["email"], Phone: view.Form["phone"], HomeArea: view.Form["home_area"]}
	for _, k := range kinds {
		in.Kinds = append(in.Kinds, domain.Kind(k))
	}
	if view.Form["name"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "name", Message: "Enter the member’s full name"})
	}
	if view.Form["email"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "email", Message: "Enter the member’s email address"})
	}
	if len(kinds) == 0 {
		view.Errors = append(view.Errors, domain.FieldError{Field: "kinds", Message: "Choose at least one kind of member"})
	}
	if view.Form["home_area"] == "" {
		view.Errors = append(view.Errors, domain.FieldError{Field: "home_area", Message: "Choose the member’s home area"})
	}
	in.Lat = optionalFloat(&view, "lat", "Enter the latitude as a number, for example 54.776")
	in.Lon = optionalFloat(&view, "lon", "Enter the longitude as a number, for example -1.575")
	in.TravelKm = optionalFloat(&view, "travel_km", "Enter the travel distance as a number of km, for example 10")
	if len(view.Errors) == 0 {
		m, err := s.app.CreateMember(c.UserContext(), principal(c), in)
		if err == nil {
			s.flash(c, fmt.Sprintf("You added %s.", m.Name))
			return c.Redirect("/admin/members/"+m.ID, fiber.StatusSeeOther)
		}
		if domain.ErrorCode(err) == domain.EConflict {
			view.Errors = []domain.FieldError{{Field: "email", Message: "Another member already has this email address"}}
		} else if view.Errors, _ = appFieldErrors(err, newMemberFields); view.Errors == nil {
			return err
		}
	}
	return s.renderNewMember(c, fiber.StatusUnprocessableEntity, view, kinds)
}
