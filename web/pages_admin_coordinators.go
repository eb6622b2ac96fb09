package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// Inviting a coordinator from the pages: their name, email and the areas
// they will coordinate; the invitation link goes to them by email.

type coordinatorInviteData struct {
	Name, Email inputField
	Areas       choiceGroup
}

func (s *Server) coordinatorInviteView(c *fiber.Ctx, name, email string, picked []string) (*coordinatorInviteData, error) {
	areas, err := s.app.CoordinatedAreas(c.UserContext(), principal(c))
	if err != nil {
		return nil, err
	}
	var opts []choice
	for _, a := range areas {
		opts = append(opts, choice{Value: a.Code, Label: a.Name + " (" + a.Code + ")"})
	}
	return &coordinatorInviteData{
		Name:  inputField{ID: "name", Name: "name", Label: "Full name", Value: name, Type: "text", Autocomplete: "off"},
		Email: inputField{ID: "email", Name: "email", Label: "Email address", Hint: "The invitation goes here", Value: email, Type: "email", Autocomplete: "off"},
		Areas: newGroup("areas", "Areas they coordinate", "Each area includes everything below it", "checkbox", opts, picked),
	}, nil
}

func (s *Server) coordinatorInvitePage(c *fiber.Ctx) error {
	d, err := s.coordinatorInviteView(c, "", "", nil)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_coordinator_invite", pageView{Title: "Invite a coordinator", Nav: "admin-coordinators", Data: d})
}

func (s *Server) postCoordinatorInvite(c *fiber.Ctx) error {
	args := c.Request().PostArgs()
	var picked []string
	for _, v := range args.PeekMulti("areas") {
		picked = append(picked, string(v))
	}
	name, email := c.FormValue("name"), c.FormValue("email")
	d, err := s.coordinatorInviteView(c, name, email, picked)
	if err != nil {
		return err
	}
	u, err := s.app.InviteCoordinator(c.UserContext(), principal(c), app.NewCoordinator{Email: email, Name: name, Areas: picked})
	if err != nil {
		errs := formErrors{}
		fields, ok := appFieldErrors(err, map[string]pageField{"": {ID: "email"}, "name": {ID: "name", Label: "Full name"},
			"email": {ID: "email", Label: "Email address"}, "areas": {ID: "areas", Label: "Areas"}})
		if !ok {
			if domain.ErrorCode(err) != domain.EConflict {
				return err
			}
			fields = []domain.FieldError{{Field: "email", Message: "Email address: an account with this email already exists"}}
		}
		for _, fe := range fields {
			errs.add(fe.Field, fe.Message)
		}
		d.Name.Error, d.Email.Error, d.Areas.Error = errs["name"], errs["email"], errs["areas"]
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_coordinator_invite", pageView{Title: "Invite a coordinator",
			Nav: "admin-coordinators", Data: d, Errors: errs.summary([]string{"name", "email", "areas"})})
	}
	s.flash(c, "Invited "+u.Name+" to coordinate. The link in their email works for seven days.")
	return c.Redirect("/admin/coordinators/new", fiber.StatusSeeOther)
}
