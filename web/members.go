package web

import (
	"bytes"
	"encoding/json"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// refParam is a path parameter, percent-decoded (skill codes hold ':').
func refParam(c *fiber.Ctx, name string) string {
	v := c.Params(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// memberJSON is a member as the API shows it.
type memberJSON struct {
	ID                     string              `json:"id"`
	Name                   string              `json:"name"`
	Email                  string              `json:"email"`
	Phone                  string              `json:"phone"`
	Kinds                  []domain.Kind       `json:"kinds"`
	HomeArea               string              `json:"home_area"`
	Lat                    *float64            `json:"lat"`
	Lon                    *float64            `json:"lon"`
	TravelKm               float64             `json:"travel_km"`
	MaxHoursPerWeek        float64             `json:"max_hours_per_week"`
	ContractedHoursPerWeek float64             `json:"contracted_hours_per_week"`
	MinRestHours           float64             `json:"min_rest_hours"`
	Status                 domain.MemberStatus `json:"status"`
	MaxShiftsPerWeek       *int                `json:"max_shifts_per_week"`
	MaxConsecutiveDays     *int                `json:"max_consecutive_days"`
	MinDaysOffBetweenRuns  *int                `json:"min_days_off_between_runs"`
	MaxWeekendsPer4Weeks   *int                `json:"max_weekends_per_4_weeks"`
	TargetHoursPer4Weeks   *float64            `json:"target_hours_per_4_weeks"`
	Preferences            domain.Preferences  `json:"preferences"`
	CreatedAt              time.Time           `json:"created_at"`
	UpdatedAt              time.Time           `json:"updated_at"`
}

type memberDetailJSON struct {
	memberJSON
	Skills     []memberSkillJSON `json:"skills"`
	Clearances []clearanceJSON   `json:"clearances"`
	// ApprovalHold is set while the member's own bookings wait for approval.
	ApprovalHold *approvalHoldJSON `json:"approval_hold"`
}

type memberSkillJSON struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	ObtainedOn string  `json:"obtained_on"`
	ExpiresOn  *string `json:"expires_on"`
}

type clearanceJSON struct {
	ID        string                 `json:"id"`
	Type      domain.ClearanceType   `json:"type"`
	GrantedOn string                 `json:"granted_on"`
	ExpiresOn string                 `json:"expires_on"`
	Status    domain.ClearanceStatus `json:"status"`
	Reference string                 `json:"reference,omitempty"`
}

func (s *Server) renderMember(m domain.Member) memberJSON {
	kinds := m.Kinds
	if kinds == nil {
		kinds = []domain.Kind{}
	}
	zone := s.app.Config.TimeZone
	return memberJSON{
		ID: m.ID, Name: m.Name, Email: m.Email, Phone: m.Phone, Kinds: kinds, HomeArea: m.HomeAreaCode,
		Lat: m.Lat, Lon: m.Lon, TravelKm: m.TravelKm, MaxHoursPerWeek: m.MaxHoursPerWeek,
		ContractedHoursPerWeek: m.ContractedHoursPerWeek, MinRestHours: m.MinRestHours, Status: m.Status,
		MaxShiftsPerWeek: m.Limits.MaxShiftsPerWeek, MaxConsecutiveDays: m.Limits.MaxConsecutiveDays,
		MinDaysOffBetweenRuns: m.Limits.MinDaysOffBetweenRuns, MaxWeekendsPer4Weeks: m.Limits.MaxWeekendsPer4Weeks,
		TargetHoursPer4Weeks: m.Limits.TargetHoursPer4Weeks, Preferences: m.Preferences,
		CreatedAt: m.CreatedAt.In(zone), UpdatedAt: m.UpdatedAt.In(zone),
	}
}

func (s *Server) renderMemberDetail(d app.MemberDetail) memberDetailJSON {
	out := memberDetailJSON{memberJSON: s.renderMember(d.Member),
		Skills: make([]memberSkillJSON, 0, len(d.Skills)), Clearances: make([]clearanceJSON, 0, len(d.Clearances)),
		ApprovalHold: s.renderHold(d.Hold)}
	for _, sk := range d.Skills {
		out.Skills = append(out.Skills, renderMemberSkill(sk))
	}
	for _, c := range d.Clearances {
		out.Clearances = append(out.Clearances, renderClearance(c))
	}
	return out
}

func renderMemberSkill(sk domain.MemberSkill) memberSkillJSON {
	out := memberSkillJSON{Code: sk.Code, Name: sk.Name, ObtainedOn: sk.ObtainedOn.String()}
	if sk.ExpiresOn != nil {
		e := sk.ExpiresOn.String()
		out.ExpiresOn = &e
	}
	return out
}

func renderClearance(c domain.Clearance) clearanceJSON {
	return clearanceJSON{ID: c.ID, Type: c.Type, GrantedOn: c.GrantedOn.String(), ExpiresOn: c.ExpiresOn.String(), Status: c.Status,
		Reference: c.Reference}
}

type memberCreateRequest struct {
	Name                   string              `json:"name" validate:"max=400"`
	Email                  string              `json:"email" validate:"max=400"`
	Phone                  string              `json:"phone" validate:"max=100"`
	Kinds                  []domain.Kind       `json:"kinds" validate:"max=10"`
	HomeArea               string              `json:"home_area" validate:"max=64"`
	Lat                    *float64            `json:"lat"`
	Lon                    *float64            `json:"lon"`
	TravelKm               *float64            `json:"travel_km"`
	MaxHoursPerWeek        *float64            `json:"max_hours_per_week"`
	ContractedHoursPerWeek *float64            `json:"contracted_hours_per_week"`
	MinRestHours           *float64            `json:"min_rest_hours"`
	Status                 domain.MemberStatus `json:"status" validate:"max=32"`
	MaxShiftsPerWeek       *int                `json:"max_shifts_per_week"`
	MaxConsecutiveDays     *int                `json:"max_consecutive_days"`
	MinDaysOffBetweenRuns  *int                `json:"min_days_off_between_runs"`
	MaxWeekendsPer4Weeks   *int                `json:"max_weekends_per_4_weeks"`
	TargetHoursPer4Weeks   *float64            `json:"target_hours_per_4_weeks"`
	Preferences            *domain.Preferences `json:"preferences"`
}

func (s *Server) createMember(c *fiber.Ctx) error {
	var req memberCreateRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	in := app.NewMember{
		Name: req.Name, Email: req.Email, Phone: req.Phone, Kinds: req.Kinds, HomeArea: req.HomeArea,
		Lat: req.Lat, Lon: req.Lon, TravelKm: req.TravelKm, MaxHoursPerWeek: req.MaxHoursPerWeek,
		ContractedHoursPerWeek: req.ContractedHoursPerWeek, MinRestHours: req.MinRestHours, Status: req.Status,
		Limits: domain.MemberLimits{MaxShiftsPerWeek: req.MaxShiftsPerWeek, MaxConsecutiveDays: req.MaxConsecutiveDays,
			MinDaysOffBetweenRuns: req.MinDaysOffBetweenRuns, MaxWeekendsPer4Weeks: req.MaxWeekendsPer4Weeks,
			TargetHoursPer4Weeks: req.TargetHoursPer4Weeks},
	}
	if req.Preferences != nil {
		in.Preferences = *req.Preferences
	}
	m, err := s.app.CreateMember(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.renderMember(m))
}

func (s *Server) listMembers(c *fiber.Ctx) error {
	after, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	members, err := s.app.Members(c.UserContext(), principal(c), c.Query("q"), after, limit+1)
	if err != nil {
		return err
	}
	return c.JSON(newPage(members, limit, func(m domain.Member) string { return m.ID }, s.renderMember))
}

func (s *Server) getMember(c *fiber.Ctx) error {
	d, err := s.app.Member(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(s.renderMemberDetail(d))
}

// clearable is a PATCH field that may be sent as null to clear it.
type clearable[T any] struct {
	set   bool
	value *T
}

func (f *clearable[T]) UnmarshalJSON(b []byte) error {
	f.set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		f.value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	f.value = &v
	return nil
}

func (f clearable[T]) toApp() app.Clearable[T] { return app.Clearable[T]{Set: f.set, Value: f.value} }

// memberPatchRequest is a partial update: absent fields stay as they are.
type memberPatchRequest struct {
	Name                   *string              `json:"name" validate:"omitempty,max=400"`
	Email                  *string              `json:"email" validate:"omitempty,max=400"`
	Phone                  *string              `json:"phone" validate:"omitempty,max=100"`
	Kinds                  *[]domain.Kind       `json:"kinds" validate:"omitempty,max=10"`
	HomeArea               *string              `json:"home_area" validate:"omitempty,max=64"`
	Lat                    clearable[float64]   `json:"lat"`
	Lon                    clearable[float64]   `json:"lon"`
	TravelKm               *float64             `json:"travel_km"`
	MaxHoursPerWeek        *float64             `json:"max_hours_per_week"`
	ContractedHoursPerWeek *float64             `json:"contracted_hours_per_week"`
	MinRestHours           *float64             `json:"min_rest_hours"`
	Status                 *domain.MemberStatus `json:"status" validate:"omitempty,max=32"`
	MaxShiftsPerWeek       clearable[int]       `json:"max_shifts_per_week"`
	MaxConsecutiveDays     clearable[int]       `json:"max_consecutive_days"`
	MinDaysOffBetweenRuns  clearable[int]       `json:"min_days_off_between_runs"`
	MaxWeekendsPer4Weeks   clearable[int]       `json:"max_weekends_per_4_weeks"`
	TargetHoursPer4Weeks   clearable[float64]   `json:"target_hours_per_4_weeks"`
	Preferences            *domain.Preferences  `json:"preferences"`
	// EmergencyContact is the member's one emergency contact ({name,
	// phone}; null forgets it). It is never in the answer: see welfare
	// alerts.
	EmergencyContact clearable[emergencyContactJSON] `json:"emergency_contact"`
}

func (s *Server) patchMember(c *fiber.Ctx) error {
	var req memberPatchRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	u := app.MemberUpdate{
		Name: req.Name, Email: req.Email, Phone: req.Phone, Kinds: req.Kinds, HomeArea: req.HomeArea,
		Lat: req.Lat.toApp(), Lon: req.Lon.toApp(), TravelKm: req.TravelKm, MaxHoursPerWeek: req.MaxHoursPerWeek,
		ContractedHoursPerWeek: req.ContractedHoursPerWeek, MinRestHours: req.MinRestHours, Status: req.Status,
		MaxShiftsPerWeek: req.MaxShiftsPerWeek.toApp(), MaxConsecutiveDays: req.MaxConsecutiveDays.toApp(),
		MinDaysOffBetweenRuns: req.MinDaysOffBetweenRuns.toApp(), MaxWeekendsPer4Weeks: req.MaxWeekendsPer4Weeks.toApp(),
		TargetHoursPer4Weeks: req.TargetHoursPer4Weeks.toApp(), Preferences: req.Preferences,
	}
	if req.EmergencyContact.set {
		u.EmergencyContact.Set = true
		if ec := req.EmergencyContact.value; ec != nil {
			u.EmergencyContact.Value = &domain.EmergencyContact{Name: ec.Name, Phone: ec.Phone}
		}
	}
	d, err := s.app.UpdateMember(c.UserContext(), principal(c), refParam(c, "id"), u)
	if err != nil {
		return err
	}
	return c.JSON(s.renderMemberDetail(d))
}

type skillHoldingRequest struct {
	ObtainedOn string  `json:"obtained_on" validate:"max=32"`
	ExpiresOn  *string `json:"expires_on" validate:"omitempty,max=32"`
}

func (s *Server) putMemberSkill(c *fiber.Ctx) error {
	var req skillHoldingRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	ms, err := s.app.PutMemberSkill(c.UserContext(), principal(c), refParam(c, "id"), refParam(c, "code"),
		app.SkillHolding{ObtainedOn: req.ObtainedOn, ExpiresOn: req.ExpiresOn})
	if err != nil {
		return err
	}
	return c.JSON(renderMemberSkill(ms))
}

func (s *Server) deleteMemberSkill(c *fiber.Ctx) error {
	if err := s.app.DeleteMemberSkill(c.UserContext(), principal(c), refParam(c, "id"), refParam(c, "code")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type clearanceRequest struct {
	Type      domain.ClearanceType `json:"type" validate:"max=64"`
	GrantedOn string               `json:"granted_on" validate:"max=32"`
	ExpiresOn string               `json:"expires_on" validate:"max=32"`
	// Reference: for a conditional clearance, where the vetting unit keeps
	// its risk assessment (never the reason itself).
	Reference string `json:"reference" validate:"max=100"`
}

func (s *Server) addClearance(c *fiber.Ctx) error {
	var req clearanceRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	cl, err := s.app.AddClearance(c.UserContext(), principal(c), refParam(c, "id"),
		app.NewClearance{Type: req.Type, GrantedOn: req.GrantedOn, ExpiresOn: req.ExpiresOn, Reference: req.Reference})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(renderClearance(cl))
}

type clearanceStatusRequest struct {
	Status domain.ClearanceStatus `json:"status" validate:"required,oneof=active suspended"`
}

func (s *Server) patchClearance(c *fiber.Ctx) error {
	var req clearanceStatusRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	cl, err := s.app.SetClearanceStatus(c.UserContext(), principal(c), refParam(c, "id"), refParam(c, "cid"), req.Status)
	if err != nil {
		return err
	}
	return c.JSON(renderClearance(cl))
}

type availabilityRequest struct {
	StartLocal      string `json:"start_local" validate:"max=32"`
	DurationMinutes int    `json:"duration_minutes"`
	TimeZone        string `json:"timezone" validate:"max=64"`
	RRule           string `json:"rrule" validate:"max=1000"`
	Until           string `json:"until" validate:"max=32"`
}

type availabilityJSON struct {
	ID              string    `json:"id"`
	StartLocal      string    `json:"start_local"`
	DurationMinutes int       `json:"duration_minutes"`
	TimeZone        string    `json:"timezone"`
	RRule           *string   `json:"rrule"`
	Until           *string   `json:"until"`
	CreatedAt       time.Time `json:"created_at"`
}

func (s *Server) renderAvailability(av domain.Availability) availabilityJSON {
	out := availabilityJSON{ID: av.ID, StartLocal: av.StartLocal, DurationMinutes: av.DurationMinutes,
		TimeZone: av.TimeZone, CreatedAt: av.CreatedAt.In(s.app.Config.TimeZone)}
	if av.RRule != "" {
		r := av.RRule
		out.RRule = &r
	}
	if av.Until != nil {
		u := av.Until.String()
		out.Until = &u
	}
	return out
}

func (s *Server) addAvailability(c *fiber.Ctx) error {
	var req availabilityRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	av, err := s.app.AddAvailability(c.UserContext(), principal(c), refParam(c, "id"), app.NewAvailability{
		StartLocal: req.StartLocal, DurationMinutes: req.DurationMinutes, TimeZone: req.TimeZone, RRule: req.RRule, Until: req.Until})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.renderAvailability(av))
}

func (s *Server) listAvailability(c *fiber.Ctx) error {
	avs, err := s.app.Availability(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	p := page[availabilityJSON]{Items: make([]availabilityJSON, 0, len(avs))}
	for _, av := range avs {
		p.Items = append(p.Items, s.renderAvailability(av))
	}
	return c.JSON(p)
}

func (s *Server) deleteAvailability(c *fiber.Ctx) error {
	if err := s.app.DeleteAvailability(c.UserContext(), principal(c), refParam(c, "id"), refParam(c, "aid")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type availabilityWindowJSON struct {
	AvailabilityID string    `json:"availability_id"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
}

func (s *Server) expandAvailability(c *fiber.Ctx) error {
	ws, err := s.app.ExpandAvailability(c.UserContext(), principal(c), refParam(c, "id"), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	p := page[availabilityWindowJSON]{Items: make([]availabilityWindowJSON, 0, len(ws))}
	for _, w := range ws {
		p.Items = append(p.Items, availabilityWindowJSON{AvailabilityID: w.AvailabilityID, Start: w.Start, End: w.End})
	}
	return c.JSON(p)
}

type leaveRequest struct {
	From   string `json:"from" validate:"max=32"`
	To     string `json:"to" validate:"max=32"`
	Reason string `json:"reason" validate:"max=1000"`
}

type leaveJSON struct {
	ID     string `json:"id"`
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
}

func (s *Server) addLeave(c *fiber.Ctx) error {
	var req leaveRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	l, err := s.app.AddLeave(c.UserContext(), principal(c), refParam(c, "id"), app.NewLeave{From: req.From, To: req.To, Reason: req.Reason})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(renderLeave(l))
}

func renderLeave(l domain.Leave) leaveJSON {
	return leaveJSON{ID: l.ID, From: l.From.String(), To: l.To.String(), Reason: l.Reason}
}

func (s *Server) listLeave(c *fiber.Ctx) error {
	ls, err := s.app.MemberLeave(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	p := page[leaveJSON]{Items: make([]leaveJSON, 0, len(ls))}
	for _, l := range ls {
		p.Items = append(p.Items, renderLeave(l))
	}
	return c.JSON(p)
}

func (s *Server) withdrawLeave(c *fiber.Ctx) error {
	if err := s.app.WithdrawLeave(c.UserContext(), principal(c), refParam(c, "id"), refParam(c, "lid")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
