package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// Capacity: availability of eligible members against posted demand by area
// and hour of the week, for the API and for /coord/capacity.

var weekdayNames = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

type capacityCellJSON struct {
	Day       string `json:"day"`
	Hour      int    `json:"hour"`
	Demand    int    `json:"demand"`
	Available int    `json:"available"`
}

type areaCapacityJSON struct {
	Area  string             `json:"area"`
	Name  string             `json:"name"`
	Cells []capacityCellJSON `json:"cells"`
}

type capacityJSON struct {
	From     string             `json:"from"`
	To       string             `json:"to"`
	TimeZone string             `json:"timezone"`
	Areas    []areaCapacityJSON `json:"areas"`
}

// splitCodes reads a comma-separated list of area codes.
func splitCodes(v string) []string {
	var out []string
	for _, c := range strings.Split(v, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) capacityReport(c *fiber.Ctx) error {
	rep, err := s.app.Capacity(c.UserContext(), principal(c), splitCodes(c.Query("areas")), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	out := capacityJSON{From: stamp(rep.From, rep.Zone), To: stamp(rep.To, rep.Zone), TimeZone: rep.Zone.String(),
		Areas: make([]areaCapacityJSON, 0, len(rep.Areas))}
	for _, ac := range rep.Areas {
		aj := areaCapacityJSON{Area: ac.Area.Code, Name: ac.Area.Name, Cells: make([]capacityCellJSON, 0, 7*24)}
		for d := range 7 {
			for h := range 24 {
				cell := ac.Cells[d][h]
				aj.Cells = append(aj.Cells, capacityCellJSON{Day: weekdayNames[d], Hour: h, Demand: cell.Demand, Available: cell.Available})
			}
		}
		out.Areas = append(out.Areas, aj)
	}
	return c.JSON(out)
}

// --- the page ---

type capacityRow struct {
	Hour                   string
	Demand, Available, Gap int
}

type capacityDay struct {
	Name string
	Rows []capacityRow
}

type capacityArea struct {
	Name, Code string
	HeatMap    template.HTML
	Days       []capacityDay
	Empty      bool
}

type capacityData struct {
	Area   inputField
	Period string
	Areas  []capacityArea
}

func hourLabel(h int) string { return fmt.Sprintf("%02d:00–%02d:00", h, (h+1)%24) }

// heatMap draws the week as a grid, days across and hours down, each cell
// coloured by how far availability falls short of demand; the tables below
// give every figure.
func heatMap(id string, ac app.AreaCapacity) template.HTML {
	const left, top, cw, ch = 44, 22, 44, 14
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc" focusable="false" class="heat">`,
		left+7*cw, top+24*ch, esc(id), esc(id))
	fmt.Fprintf(&b, `<title id="%s-title">Demand against availability in %s by hour of the week</title>`, esc(id), esc(ac.Area.Name))
	fmt.Fprintf(&b, `<desc id="%s-desc">Red: fewer members free than places asked for; amber: fewer than twice as many; green: enough; grey: nothing asked for. The tables below give every figure.</desc>`, esc(id))
	for d := range 7 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, left+d*cw+cw/2, top-6, weekdayNames[d][:3])
	}
	for h := 0; h < 24; h += 3 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%02d:00</text>`, left-4, top+h*ch+ch-3, h)
	}
	for d := range 7 {
		for h := range 24 {
			cell := ac.Cells[d][h]
			class := "none"
			switch {
			case cell.Demand == 0:
			case cell.Available < cell.Demand:
				class = "gap"
			case cell.Available < 2*cell.Demand:
				class = "short"
			default:
				class = "ok"
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="%s"/>`, left+d*cw+1, top+h*ch+1, cw-2, ch-2, class)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func (s *Server) capacityPage(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	areas, err := s.app.CoordinatedAreas(ctx, p)
	if err != nil {
		return err
	}
	code := c.Query("area")
	opts := []choice{{Value: "", Label: "All my areas"}}
	for _, a := range areas {
		opts = append(opts, choice{Value: a.Code, Label: a.Name + " (" + a.Code + ")"})
	}
	data := capacityData{Area: selectField("area", "Area", "Each area includes everything below it", code, opts)}
	view := pageView{Title: "Capacity", Nav: "capacity", Data: &data}
	rep, err := s.app.Capacity(ctx, p, splitCodes(code), "", "")
	if err != nil {
		if fields, ok := invalidFields(err); ok && len(fields) > 0 {
			data.Area.Error = ledBy("Area", fields[0].Message)
			view.Errors = []domain.FieldError{{Field: "area", Message: data.Area.Error}}
			return s.render(c, fiber.StatusUnprocessableEntity, "coord_capacity", view)
		}
		return err
	}
	data.Period = whenInZone(rep.Zone, rep.From, rep.To)
	for i, ac := range rep.Areas {
		ca := capacityArea{Name: ac.Area.Name, Code: ac.Area.Code, HeatMap: heatMap(fmt.Sprintf("heat-%d", i), ac), Empty: true}
		for d := range 7 {
			day := capacityDay{Name: weekdayNames[d]}
			for h := range 24 {
				cell := ac.Cells[d][h]
				if cell.Demand == 0 && cell.Available == 0 {
					continue
				}
				day.Rows = append(day.Rows, capacityRow{Hour: hourLabel(h), Demand: cell.Demand, Available: cell.Available,
					Gap: max(0, cell.Demand-cell.Available)})
			}
			if len(day.Rows) > 0 {
				ca.Empty = false
				ca.Days = append(ca.Days, day)
			}
		}
		data.Areas = append(data.Areas, ca)
	}
	return s.render(c, fiber.StatusOK, "coord_capacity", view)
}
