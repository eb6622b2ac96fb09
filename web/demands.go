package web

import (
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type locationDTO struct {
	Description string   `json:"description" validate:"max=500"`
	Lat         *float64 `json:"lat"`
	Lon         *float64 `json:"lon"`
}

type positionDTO struct {
	Name         string   `json:"name" validate:"required,max=200"`
	Kinds        []string `json:"kinds" validate:"required,min=1,dive,oneof=volunteer bank_officer mentor"`
	Skills       []string `json:"skills" validate:"dive,max=100"`
	MinVetting   string   `json:"min_vetting" validate:"omitempty,oneof=none NPPV1 NPPV2 NPPV3"`
	DBS          []string `json:"dbs" validate:"dive,oneof=dbs_enhanced_children dbs_enhanced_adults"`
	Headcount    int      `json:"headcount" validate:"required,gte=1,lte=500"`
	MinHeadcount *int     `json:"min_headcount"`
	PayBand      string   `json:"pay_band" validate:"max=20"`
	Supervision  string   `json:"supervision" validate:"omitempty,oneof=none allowed"`
}

type demandRequest struct {
	Title       string        `json:"title" validate:"required,max=200"`
	Description string        `json:"description" validate:"max=5000"`
	ProblemType string        `json:"problem_type" validate:"required"`
	Area        string        `json:"area" validate:"required,max=50"`
	Location    *locationDTO  `json:"location"`
	Briefing    string        `json:"briefing" validate:"max=5000"`
	Priority    int           `json:"priority" validate:"omitempty,gte=1,lte=5"`
	BookingMode string        `json:"booking_mode" validate:"omitempty,oneof=open approval assigned"`
	MenteeRef   string        `json:"mentee_ref" validate:"max=100"`
	LoneWorking bool          `json:"lone_working"`
	TimeZone    string        `json:"timezone" validate:"max=64"`
	StartLocal  string        `json:"start_local" validate:"required"`
	EndLocal    string        `json:"end_local" validate:"required"`
	RRule       string        `json:"rrule" validate:"max=500"`
	ExDates     []string      `json:"exdates" validate:"max=500"`
	Positions   []positionDTO `json:"positions" validate:"required,min=1,max=20,dive"`
}

func (l *locationDTO) toDomain() *domain.Location {
	if l == nil {
		return nil
	}
	return &domain.Location{Description: l.Description, Lat: l.Lat, Lon: l.Lon}
}

func (s *Server) postDemand(c *fiber.Ctx) error {
	var req demandRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	in := app.DemandInput{Title: req.Title, Description: req.Description, ProblemType: req.ProblemType, Area: req.Area,
		Location: req.Location.toDomain(), Briefing: req.Briefing, Priority: req.Priority, BookingMode: req.BookingMode,
		MenteeRef: req.MenteeRef, LoneWorking: req.LoneWorking, TimeZone: req.TimeZone, StartLocal: req.StartLocal, EndLocal: req.EndLocal,
		RRule: req.RRule, ExDates: req.ExDates}
	for _, p := range req.Positions {
		in.Positions = append(in.Positions, app.PositionInput{Name: p.Name, Kinds: p.Kinds, Skills: p.Skills,
			MinVetting: p.MinVetting, DBS: p.DBS, Headcount: p.Headcount, MinHeadcount: p.MinHeadcount, PayBand: p.PayBand,
			Supervision: p.Supervision})
	}
	d, err := s.app.PostDemand(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.demandJSON(d))
}

func (s *Server) getDemand(c *fiber.Ctx) error {
	d, err := s.app.GetDemand(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(s.demandJSON(d))
}

func (s *Server) listDemands(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	ds, err := s.app.ListDemands(c.UserContext(), principal(c), app.DemandQuery{Area: c.Query("area"), After: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	return c.JSON(newPage(ds, limit, func(d domain.Demand) string { return d.ID }, s.demandJSON))
}

// positionPatch changes a position, or adds one when id is left out.
type positionPatch struct {
	ID           string    `json:"id"`
	Name         *string   `json:"name" validate:"omitempty,max=200"`
	Kinds        *[]string `json:"kinds" validate:"omitempty,dive,oneof=volunteer bank_officer mentor"`
	Skills       *[]string `json:"skills" validate:"omitempty,dive,max=100"`
	MinVetting   *string   `json:"min_vetting" validate:"omitempty,oneof=none NPPV1 NPPV2 NPPV3"`
	DBS          *[]string `json:"dbs" validate:"omitempty,dive,oneof=dbs_enhanced_children dbs_enhanced_adults"`
	Headcount    *int      `json:"headcount"`
	MinHeadcount *int      `json:"min_headcount"`
	PayBand      *string   `json:"pay_band" validate:"omitempty,max=20"`
	Supervision  *string   `json:"supervision" validate:"omitempty,oneof=none allowed"`
}

type demandPatch struct {
	Title       *string         `json:"title" validate:"omitempty,max=200"`
	Description *string         `json:"description" validate:"omitempty,max=5000"`
	Briefing    *string         `json:"briefing" validate:"omitempty,max=5000"`
	Priority    *int            `json:"priority"`
	BookingMode *string         `json:"booking_mode"`
	LoneWorking *bool           `json:"lone_working"`
	Location    *locationDTO    `json:"location"`
	StartLocal  *string         `json:"start_local"`
	EndLocal    *string         `json:"end_local"`
	TimeZone    *string         `json:"timezone"`
	RRule       *string         `json:"rrule" validate:"omitempty,max=500"`
	ExDates     *[]string       `json:"exdates"`
	Positions   []positionPatch `json:"positions" validate:"dive"`
}

func (s *Server) patchDemand(c *fiber.Ctx) error {
	var req demandPatch
	if err := decode(c, &req); err != nil {
		return err
	}
	up := app.DemandUpdate{Title: req.Title, Description: req.Description, Briefing: req.Briefing, Priority: req.Priority,
		BookingMode: req.BookingMode, LoneWorking: req.LoneWorking, StartLocal: req.StartLocal, EndLocal: req.EndLocal, TimeZone: req.TimeZone,
		RRule: req.RRule, ExDates: req.ExDates}
	if req.Location != nil {
		loc := req.Location.toDomain()
		up.Location = &loc
	}
	for _, p := range req.Positions {
		up.Positions = append(up.Positions, app.PositionUpdate{ID: p.ID, Name: p.Name, Kinds: p.Kinds, Skills: p.Skills,
			MinVetting: p.MinVetting, DBS: p.DBS, Headcount: p.Headcount, MinHeadcount: p.MinHeadcount, PayBand: p.PayBand,
			Supervision: p.Supervision})
	}
	ch, err := s.app.UpdateDemand(c.UserContext(), principal(c), c.Params("id"), up)
	if err != nil {
		return err
	}
	return c.JSON(s.demandChangeJSON(ch))
}

// --- rendering ---

type locationJSON struct {
	Description string   `json:"description"`
	Lat         *float64 `json:"lat"`
	Lon         *float64 `json:"lon"`
}

type positionJSON struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Kinds        []string `json:"kinds"`
	Skills       []string `json:"skills"`
	MinVetting   string   `json:"min_vetting"`
	DBS          []string `json:"dbs"`
	Headcount    int      `json:"headcount"`
	MinHeadcount *int     `json:"min_headcount"`
	PayBand      string   `json:"pay_band,omitempty"`
	Supervision  string   `json:"supervision"`
}

// placeJSON is a position as it stands on one shift.
type placeJSON struct {
	positionJSON
	PlacesLeft  int      `json:"places_left"`
	Waitlisted  int      `json:"waitlisted"`
	Eligible    *bool    `json:"eligible,omitempty"`
	FailedRules []string `json:"failed_rules,omitempty"`
}

type crewJSON struct {
	Name       string `json:"name"`
	PositionID string `json:"position_id"`
	Phone      string `json:"phone,omitempty"`
}

type shiftJSON struct {
	ID          string        `json:"id"`
	DemandID    string        `json:"demand_id"`
	Title       string        `json:"title"`
	ProblemType string        `json:"problem_type"`
	Area        string        `json:"area"`
	Priority    int           `json:"priority"`
	BookingMode string        `json:"booking_mode"`
	LoneWorking bool          `json:"lone_working"`
	Start       string        `json:"start"`
	End         string        `json:"end"`
	Status      string        `json:"status"`
	Location    *locationJSON `json:"location"`
	AtRisk      bool          `json:"at_risk"`
	// DistanceKm is from the calling member's home to where the shift
	// meets, when both are known.
	DistanceKm *float64      `json:"distance_km,omitempty"`
	Positions  []placeJSON   `json:"positions"`
	Briefing   *string       `json:"briefing,omitempty"`
	MyBookings []bookingJSON `json:"my_bookings,omitempty"`
	Crew       []crewJSON    `json:"crew,omitempty"`
	Bookings   []rosterJSON  `json:"bookings,omitempty"`
}

type demandJSON struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	ProblemType string         `json:"problem_type"`
	Area        string         `json:"area"`
	Location    *locationJSON  `json:"location"`
	Briefing    string         `json:"briefing"`
	Priority    int            `json:"priority"`
	BookingMode string         `json:"booking_mode"`
	MenteeRef   string         `json:"mentee_ref,omitempty"`
	LoneWorking bool           `json:"lone_working"`
	TimeZone    string         `json:"timezone"`
	StartLocal  string         `json:"start_local"`
	EndLocal    string         `json:"end_local"`
	RRule       string         `json:"rrule,omitempty"`
	ExDates     []string       `json:"exdates"`
	Status      string         `json:"status"`
	CreatedAt   string         `json:"created_at"`
	Positions   []positionJSON `json:"positions"`
	Shifts      []shiftJSON    `json:"shifts,omitempty"`
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func orEmptyList(in []string) []string {
	if in == nil {
		return []string{}
	}
	return in
}

func (s *Server) zone(tz string) *time.Location {
	if tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc
		}
	}
	return s.app.Config.TimeZone
}

func stamp(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.RFC3339) }

func stampPtr(t *time.Time, loc *time.Location) *string {
	if t == nil {
		return nil
	}
	v := stamp(*t, loc)
	return &v
}

func locationOf(l *domain.Location) *locationJSON {
	if l == nil {
		return nil
	}
	return &locationJSON{Description: l.Description, Lat: l.Lat, Lon: l.Lon}
}

func (s *Server) demandJSON(d domain.Demand) demandJSON {
	out := demandJSON{ID: d.ID, Title: d.Title, Description: d.Description, ProblemType: string(d.ProblemType),
		Area: d.AreaCode, Location: locationOf(d.Location), Briefing: d.Briefing, Priority: d.Priority,
		BookingMode: string(d.BookingMode), MenteeRef: d.MenteeRef, LoneWorking: d.LoneWorking, TimeZone: s.zone(d.TimeZone).String(), StartLocal: d.StartLocal,
		EndLocal: d.EndLocal, RRule: d.RRule, ExDates: orEmptyList(d.ExDates), Status: string(d.Status),
		CreatedAt: stamp(d.CreatedAt, s.zone(d.TimeZone)), Positions: []positionJSON{}}
	for _, p := range d.Positions {
		out.Positions = append(out.Positions, positionJSONOf(p))
	}
	for _, sh := range d.Shifts {
		out.Shifts = append(out.Shifts, s.shiftJSON(app.ShiftView{Shift: sh, Demand: d}, nil))
	}
	return out
}

// shiftJSON renders a shift as one caller sees it; places names where its
// bookings are (see shiftPlaces).
func (s *Server) shiftJSON(v app.ShiftView, places app.BookedPlaces) shiftJSON {
	d, sh := v.Demand, v.Shift
	loc := s.zone(d.TimeZone)
	out := shiftJSON{ID: sh.ID, DemandID: d.ID, Title: d.Title, ProblemType: string(d.ProblemType), Area: d.AreaCode,
		Priority: d.Priority, BookingMode: string(d.BookingMode), LoneWorking: d.LoneWorking, Start: stamp(sh.Start, loc), End: stamp(sh.End, loc),
		Status: string(sh.Status), Location: locationOf(d.Location), AtRisk: v.AtRisk(s.app.Now()), Positions: []placeJSON{}}
	if d.Status == domain.DemandCancelled {
		out.Status = string(domain.ShiftCancelled)
	}
	if v.HomeKm != nil {
		km := math.Round(*v.HomeKm*10) / 10
		out.DistanceKm = &km
	}
	for _, pl := range sh.Places {
		p := positionByID(d, pl.PositionID)
		pj := placeJSON{positionJSON: positionJSONOf(p), PlacesLeft: pl.PlacesLeft(), Waitlisted: pl.Waitlisted}
		pj.Headcount = pl.Headcount
		if v.Failed != nil {
			failed := v.Failed[pl.PositionID]
			ok := len(failed) == 0
			pj.Eligible, pj.FailedRules = &ok, failed
		}
		out.Positions = append(out.Positions, pj)
	}
	for _, b := range v.Mine {
		out.MyBookings = append(out.MyBookings, s.bookingJSON(b, places.Of(b)))
	}
	if v.Crew != nil {
		out.Briefing = &d.Briefing
		lead := ""
		if len(d.Positions) > 0 {
			lead = d.Positions[0].ID
		}
		for _, m := range v.Crew {
			cj := crewJSON{Name: m.Name, PositionID: m.PositionID}
			// The lead's phone is shared with the crew: they patrol together.
			if m.PositionID == lead {
				cj.Phone = m.Phone
			}
			out.Crew = append(out.Crew, cj)
		}
	}
	for _, b := range v.Bookings {
		out.Bookings = append(out.Bookings, rosterJSON{bookingJSON: s.bookingJSON(b, places.Of(b)), MemberName: v.Names[b.MemberID]})
	}
	return out
}

func positionJSONOf(p domain.Position) positionJSON {
	return positionJSON{ID: p.ID, Name: p.Name, Kinds: strs(p.Kinds), Skills: orEmptyList(p.Skills),
		MinVetting: string(p.MinVetting), DBS: strs(p.DBS), Headcount: p.Headcount, MinHeadcount: p.MinHeadcount, PayBand: p.PayBand,
		Supervision: string(p.Supervision)}
}

func positionByID(d domain.Demand, id string) domain.Position {
	for _, p := range d.Positions {
		if p.ID == id {
			return p
		}
	}
	return domain.Position{ID: id}
}

// --- shifts ---

func (s *Server) listShifts(c *fiber.Ctx) error {
	_, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	q := app.ShiftQuery{Area: c.Query("area"), Skill: c.Query("skill"), Limit: limit, After: cursorValue(c)}
	if q.From, err = s.queryTime(c, "from", false); err != nil {
		return err
	}
	if q.To, err = s.queryTime(c, "to", true); err != nil {
		return err
	}
	if q.Open, err = queryBool(c, "open"); err != nil {
		return err
	}
	if q.Eligible, err = queryBool(c, "eligible"); err != nil {
		return err
	}
	views, err := s.app.FindShifts(c.UserContext(), principal(c), q)
	if err != nil {
		return err
	}
	places, err := s.shiftPlaces(c, views...)
	if err != nil {
		return err
	}
	out := page[shiftJSON]{Items: make([]shiftJSON, 0, len(views))}
	for _, v := range views {
		out.Items = append(out.Items, s.shiftJSON(v, places))
	}
	if len(views) == limit {
		next := encodeCursor(app.ShiftCursor(views[len(views)-1].Shift))
		out.NextCursor = &next
	}
	return c.JSON(out)
}

func (s *Server) getShift(c *fiber.Ctx) error {
	v, err := s.app.GetShift(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	places, err := s.shiftPlaces(c, v)
	if err != nil {
		return err
	}
	return c.JSON(s.shiftJSON(v, places))
}

// shiftPlaces loads, in one go, where the bookings shown with the shifts are.
func (s *Server) shiftPlaces(c *fiber.Ctx, views ...app.ShiftView) (app.BookedPlaces, error) {
	var bookings []domain.Booking
	for _, v := range views {
		bookings = append(bookings, v.Mine...)
		bookings = append(bookings, v.Bookings...)
	}
	return s.app.BookedPlaces(c.UserContext(), bookings)
}

// queryTime reads ?from= / ?to= as a date (inclusive, in the force's zone:
// `to` means the end of that day) or an RFC 3339 instant.
func (s *Server) queryTime(c *fiber.Ctx, name string, endOfDay bool) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	if d, err := domain.ParseDate(v); err == nil {
		if endOfDay {
			d = d.AddDays(1)
		}
		return d.Start(s.app.Config.TimeZone), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, domain.FieldInvalid(name, "must be a date YYYY-MM-DD or an instant such as 2027-01-08T18:00:00Z")
	}
	return t, nil
}

func queryBool(c *fiber.Ctx, name string) (bool, error) {
	switch strings.ToLower(c.Query(name)) {
	case "", "false", "0", "no":
		return false, nil
	case "true", "1", "yes":
		return true, nil
	}
	return false, domain.FieldInvalid(name, "must be true or false")
}
