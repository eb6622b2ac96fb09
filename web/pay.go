package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

type payBandRequest struct {
	Code          string `json:"code" validate:"required"`
	Name          string `json:"name" validate:"required"`
	RatePence     int64  `json:"rate_pence" validate:"min=0"`
	EffectiveFrom string `json:"effective_from" validate:"required"`
}

type payBandJSON struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	RatePence     int64  `json:"rate_pence"`
	EffectiveFrom string `json:"effective_from"`
}

func renderPayRate(r domain.PayRate) payBandJSON {
	return payBandJSON{Code: r.Code, Name: r.Name, RatePence: r.RatePence, EffectiveFrom: r.EffectiveFrom.String()}
}

func (s *Server) createPayBand(c *fiber.Ctx) error {
	var req payBandRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	r, err := s.app.CreatePayRate(c.UserContext(), principal(c), app.NewPayRate{Code: req.Code, Name: req.Name,
		RatePence: req.RatePence, EffectiveFrom: req.EffectiveFrom})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(renderPayRate(r))
}

func (s *Server) listPayBands(c *fiber.Ctx) error {
	rates, err := s.app.PayRates(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := page[payBandJSON]{Items: make([]payBandJSON, len(rates))}
	for i, r := range rates {
		out.Items[i] = renderPayRate(r)
	}
	return c.JSON(out)
}

// paySettingsJSON is both the body of PUT and the answer.
type paySettingsJSON struct {
	UnsocialMultiplier            float64 `json:"unsocial_multiplier" validate:"gte=1,lte=10"`
	WeekendMultiplier             float64 `json:"weekend_multiplier" validate:"gte=1,lte=10"`
	BankHolidayMultiplier         float64 `json:"bank_holiday_multiplier" validate:"gte=1,lte=10"`
	LateCancelHours               int     `json:"late_cancel_hours" validate:"gte=0,lte=168"`
	LateCancelMinPaidHours        int     `json:"late_cancel_min_paid_hours" validate:"gte=0,lte=24"`
	MileagePencePerMile           int64   `json:"mileage_pence_per_mile" validate:"gte=0,lte=1000"`
	VolunteerNotionalPencePerHour int64   `json:"volunteer_notional_pence_per_hour" validate:"gte=0,lte=100000"`
}

func renderPaySettings(p domain.PaySettings) paySettingsJSON {
	return paySettingsJSON{UnsocialMultiplier: p.Unsocial.Float(), WeekendMultiplier: p.Weekend.Float(),
		BankHolidayMultiplier: p.BankHoliday.Float(), LateCancelHours: p.LateCancelHours,
		LateCancelMinPaidHours: p.LateCancelMinPaidHours, MileagePencePerMile: p.MileagePencePerMile,
		VolunteerNotionalPencePerHour: p.VolunteerNotionalPencePerHour}
}

func (s *Server) getPaySettings(c *fiber.Ctx) error {
	p, err := s.app.PaySettings(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(renderPaySettings(p))
}

func (s *Server) putPaySettings(c *fiber.Ctx) error {
	var req paySettingsJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	p, err := s.app.SetPaySettings(c.UserContext(), principal(c), app.PaySettingsInput{Unsocial: req.UnsocialMultiplier,
		Weekend: req.WeekendMultiplier, BankHoliday: req.BankHolidayMultiplier, LateCancelHours: req.LateCancelHours,
		LateCancelMinPaidHours: req.LateCancelMinPaidHours, MileagePencePerMile: req.MileagePencePerMile,
		VolunteerNotionalPencePerHour: req.VolunteerNotionalPencePerHour})
	if err != nil {
		return err
	}
	return c.JSON(renderPaySettings(p))
}

type bankHolidayJSON struct {
	Date string `json:"date" validate:"required"`
	Name string `json:"name" validate:"required"`
}

func (s *Server) listBankHolidays(c *fiber.Ctx) error {
	hs, err := s.app.BankHolidays(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := page[bankHolidayJSON]{Items: make([]bankHolidayJSON, len(hs))}
	for i, h := range hs {
		out.Items[i] = bankHolidayJSON{Date: h.Date.String(), Name: h.Name}
	}
	return c.JSON(out)
}

func (s *Server) createBankHoliday(c *fiber.Ctx) error {
	var req bankHolidayJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	h, err := s.app.CreateBankHoliday(c.UserContext(), principal(c), req.Date, req.Name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(bankHolidayJSON{Date: h.Date.String(), Name: h.Name})
}
