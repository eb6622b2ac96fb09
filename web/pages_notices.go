package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// "How we contact you": the signed-in member's mobile number and,
// per kind of message, the channels it goes by. The page only ever edits the
// member the session signs in as, through the same self-edit use case as
// PATCH /api/v1/members/{id}; the rules (a text needs a mobile number, known
// kinds and channels) are the app's.

// noticeKind is one row of the table: a kind of message in plain words.
type noticeKind struct{ Code, Label string }

var noticeKinds = []noticeKind{
	{app.NoticeBooking, "Changes to my bookings"},
	{app.NoticeReminder, "Reminders before my shifts (24 h and 2 h)"},
	{app.NoticeDigest, "Weekly new shifts near me"},
	{app.NoticeExpiry, "My clearances and skills running out"},
}

// Channels a member may tick, as stored in their preferences.
const (
	noticeEmail = "email"
	noticeSMS   = "sms"
)

// noticeRow is one kind with its two checkboxes, ticked or not, and the
// error the app gave for it.
type noticeRow struct {
	Code, Label string
	Email, SMS  bool
	Error       string
}

// Name is the form field of the row's checkboxes.
func (r noticeRow) Name() string { return "notices-" + r.Code }

// SMSID is the text box's id, which the row's error names and links to.
func (r noticeRow) SMSID() string { return noticeSMSID(r.Code) }

func noticeSMSID(kind string) string { return "notices-" + kind + "-sms" }

type noticesData struct {
	IsMember bool
	Phone    inputField
	Rows     []noticeRow
}

var noticesPhoneInput = inputField{ID: "phone", Label: "Mobile number",
	Hint: "We send texts to this number, for example 07700 900123. Leave it empty if you do not want texts.",
	Type: "tel", Autocomplete: "tel"}

// noticesFields maps the app's fields to the page's inputs.
func noticesFields() map[string]pageField {
	fields := map[string]pageField{
		"":      {ID: "phone", Label: ""},
		"phone": {ID: "phone", Label: "Mobile number"},
	}
	for _, k := range noticeKinds {
		fields["preferences.notices."+k.Code] = pageField{ID: noticeSMSID(k.Code), Label: fmt.Sprintf("Text message (SMS) for “%s”", k.Label)}
	}
	return fields
}

const noticesNotMember = "Your account is not linked to a member record, so there is nothing to send you about shifts."

func noticesView(form map[string]string) pageView {
	return pageView{Title: "How we contact you", Nav: "notifications", Form: form}
}

// noticesPage shows the member's number and their current choices; a kind
// they never chose shows the defaults (email only).
func (s *Server) noticesPage(c *fiber.Ctx) error {
	m, err := s.app.MyContact(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	if m == nil {
		return s.renderNoticesPage(c, fiber.StatusOK, noticesView(nil), nil)
	}
	chosen := map[string][]string{}
	for _, k := range noticeKinds {
		chosen[k.Code] = m.Preferences.NoticeChannels(k.Code)
	}
	return s.renderNoticesPage(c, fiber.StatusOK, noticesView(map[string]string{"phone": m.Phone}), chosen)
}

func (s *Server) renderNoticesPage(c *fiber.Ctx, status int, view pageView, chosen map[string][]string) error {
	data := noticesData{IsMember: chosen != nil}
	if data.IsMember {
		data.Phone = fillInputs(view, noticesPhoneInput)["phone"]
		for _, k := range noticeKinds {
			data.Rows = append(data.Rows, noticeRow{Code: k.Code, Label: k.Label,
				Email: slices.Contains(chosen[k.Code], noticeEmail), SMS: slices.Contains(chosen[k.Code], noticeSMS),
				Error: fieldError(view, noticeSMSID(k.Code))})
		}
	}
	view.Data = data
	return s.render(c, status, "member_notices", view)
}

// formNotices reads the ticked channels of every kind. An unticked kind is
// an empty list, not a missing one: it means no messages of that kind, where
// a missing kind would fall back to the defaults.
func formNotices(c *fiber.Ctx) map[string][]string {
	out := make(map[string][]string, len(noticeKinds))
	for _, k := range noticeKinds {
		ticked := c.Request().PostArgs().PeekMulti("notices-" + k.Code)
		chans := []string{}
		for _, ch := range []string{noticeEmail, noticeSMS} {
			if slices.ContainsFunc(ticked, func(v []byte) bool { return string(v) == ch }) {
				chans = append(chans, ch)
			}
		}
		out[k.Code] = chans
	}
	return out
}

// postNotices saves the number and the choices; the member's other
// preferences (areas, days, times) are kept as they are (MemberUpdate.Notices). Errors re-show the
// form with what was sent.
func (s *Server) postNotices(c *fiber.Ctx) error {
	p := principal(c)
	if p.User.MemberID == "" {
		return domain.Errorf(domain.EForbidden, noticesNotMember)
	}
	ctx := c.UserContext()
	phone := strings.TrimSpace(c.FormValue("phone"))
	chosen := formNotices(c)
	_, err := s.app.UpdateMember(ctx, p, p.User.MemberID, app.MemberUpdate{Phone: &phone, Notices: chosen})
	if err != nil {
		fields, ok := appFieldErrors(err, noticesFields())
		if !ok {
			return err
		}
		view := noticesView(map[string]string{"phone": phone})
		view.Errors = fields
		return s.renderNoticesPage(c, fiber.StatusUnprocessableEntity, view, chosen)
	}
	s.flash(c, "Your contact choices are saved.")
	return c.Redirect("/notifications", fiber.StatusSeeOther)
}
