package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
)

// calendarTokenJSON is a new feed address; the old one has stopped working.
type calendarTokenJSON struct {
	URL string `json:"url"`
}

func (s *Server) newMemberCalendarToken(c *fiber.Ctx) error {
	url, err := s.app.NewMemberCalendarToken(c.UserContext(), principal(c), refParam(c, "id"))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(calendarTokenJSON{URL: url})
}

func (s *Server) newCoordinatorCalendarToken(c *fiber.Ctx) error {
	url, err := s.app.NewCoordinatorCalendarToken(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(calendarTokenJSON{URL: url})
}

// calendarFeed serves a feed as text/calendar; the token in the path is the
// only credential, so nothing may cache the answer.
func (s *Server) calendarFeed(c *fiber.Ctx) error {
	cal, err := s.app.CalendarFeed(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(app.RenderICS(cal))
}
