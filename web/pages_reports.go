package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// pageTableRows is how many rows a report's table shows on the page; the
// CSV download has them all.
const pageTableRows = 100

var errEnoughRows = errors.New("enough rows for the page")

type reportSection struct {
	ID, Heading, Intro string
	SVG                template.HTML
	Columns            []string
	Rows               [][]string
	More               bool   // the table stops at pageTableRows
	CSV                string // the download's address
}

type reportsData struct {
	Sections []reportSection
	Kinds    []string
}

// reportsPage shows every report the caller may read, with the filters of
// the API, a chart where one helps, a table and a CSV download each.
func (s *Server) reportsPage(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principal(c)
	form := map[string]string{"areas": c.Query("areas"), "from": c.Query("from"), "to": c.Query("to"),
		"kind": c.Query("kind"), "problem_type": c.Query("problem_type")}
	q := app.ReportQuery{Areas: form["areas"], From: form["from"], To: form["to"], Kind: form["kind"], ProblemType: form["problem_type"]}
	view := pageView{Title: "Reports", Nav: "reports", Form: form}
	data := &reportsData{Kinds: []string{"volunteer", "bank_officer", "mentor"}}
	view.Data = data
	query := url.Values{}
	for k, v := range form {
		if v != "" {
			query.Set(k, v)
		}
	}
	builders := []struct {
		name, heading, intro string
		build                reportBuilder
		chart                func(cols []string) chartAgg
	}{
		{"fill", "Fill rate by week and area", "The share of places taken on shifts starting each week, plain and weighted by priority.", s.app.FillReport, newFillByWeek},
		{"hours", "Hours given", "Each attended booking; unpaid time is valued at the notional rate.", s.app.HoursReport, newHoursByKind},
		{"fairness", "Fairness of paid hours", "How evenly paid hours were shared among active bank officers: a Gini of 0 is perfectly even.", s.app.FairnessReport, nil},
		{"reliability", "Late cancellations and no-shows", "Members' own late cancellations (not the force's) and their no-shows.", s.app.ReliabilityReport, nil},
		{"expiring", "Skills and clearances expiring", "Expiring in the period (with no dates: the next 60 days).", s.app.ExpiringReport, nil},
	}
	if p.IsAdmin() {
		builders = append(builders, struct {
			name, heading, intro string
			build                reportBuilder
			chart                func(cols []string) chartAgg
		}{"pay", "Pay", "One line per member and band: bank officers' pay and approved expenses, in pence.", s.app.PayReport, nil})
	}
	for _, b := range builders {
		rep, err := b.build(ctx, p, q)
		if err != nil {
			var de *domain.Error
			if errors.As(err, &de) && de.Code == domain.EInvalid {
				view.Errors = pageFieldErrors(de.Fields)
				data.Sections = nil
				return s.render(c, fiber.StatusUnprocessableEntity, "reports", view)
			}
			return err
		}
		sec := reportSection{ID: "report-" + b.name, Heading: b.heading, Intro: b.intro, Columns: rep.Columns,
			CSV: "/reports/" + b.name + ".csv"}
		if enc := query.Encode(); enc != "" {
			sec.CSV += "?" + enc
		}
		var agg chartAgg
		if b.chart != nil {
			agg = b.chart(rep.Columns)
		}
		err = rep.Rows(ctx, func(row []any) error {
			if agg != nil {
				agg.add(row)
			}
			if len(sec.Rows) == pageTableRows {
				sec.More = true
				if agg == nil {
					return errEnoughRows
				}
				return nil
			}
			cells := make([]string, len(row))
			for i, v := range row {
				cells[i] = cellText(v)
			}
			sec.Rows = append(sec.Rows, cells)
			return nil
		})
		if err != nil && !errors.Is(err, errEnoughRows) {
			return err
		}
		if agg != nil && len(sec.Rows) > 0 {
			sec.SVG = agg.draw()
		}
		data.Sections = append(data.Sections, sec)
	}
	return s.render(c, fiber.StatusOK, "reports", view)
}

// pageFieldErrors words the API's field errors for the form.
func pageFieldErrors(fields []domain.FieldError) []domain.FieldError {
	labels := map[string]string{"areas": "Areas", "from": "From", "to": "To", "kind": "Kind", "problem_type": "Problem type"}
	out := make([]domain.FieldError, len(fields))
	for i, f := range fields {
		out[i] = domain.FieldError{Field: f.Field, Message: labels[f.Field] + ": " + f.Message}
	}
	return out
}

func cellText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func column(cols []string, name string) int {
	for i, c := range cols {
		if c == name {
			return i
		}
	}
	return -1
}

// chartAgg sums a report's rows as they stream past, then draws them.
type chartAgg interface {
	add(row []any)
	draw() template.HTML
}

// fillByWeek draws the plain fill rate by week over every area.
type fillByWeek struct {
	week, places, filled int
	by                   map[string][2]int64
}

func newFillByWeek(cols []string) chartAgg {
	return &fillByWeek{week: column(cols, "week"), places: column(cols, "places"), filled: column(cols, "filled"), by: map[string][2]int64{}}
}

func (f *fillByWeek) add(r []any) {
	w := r[f.week].(string)
	s := f.by[w]
	f.by[w] = [2]int64{s[0] + r[f.places].(int64), s[1] + r[f.filled].(int64)}
}

func (f *fillByWeek) draw() template.HTML {
	weeks := make([]string, 0, len(f.by))
	for w := range f.by {
		weeks = append(weeks, w)
	}
	sort.Strings(weeks)
	plain := series{Name: "Places filled", Class: "bar"}
	var desc []string
	for _, w := range weeks {
		rate := 0.0
		if s := f.by[w]; s[0] > 0 {
			rate = float64(s[1]) / float64(s[0])
		}
		plain.Values = append(plain.Values, rate)
		desc = append(desc, fmt.Sprintf("week from %s: %s", w, percent(rate)))
	}
	return chart{ID: "report-fill-chart", Title: "Fill rate by week", Desc: strings.Join(desc, "; "), Labels: weeks,
		Series: []series{plain}, Max: 1, Format: percent}.Columns()
}

// hoursByKind draws hours given by kind of member.
type hoursByKind struct {
	kind, minutes int
	by            map[string]int64
}

func newHoursByKind(cols []string) chartAgg {
	return &hoursByKind{kind: column(cols, "kind"), minutes: column(cols, "minutes"), by: map[string]int64{}}
}

func (h *hoursByKind) add(r []any) { h.by[r[h.kind].(string)] += r[h.minutes].(int64) }

func (h *hoursByKind) draw() template.HTML {
	kinds := make([]string, 0, len(h.by))
	for k := range h.by {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	hours := series{Name: "Hours", Class: "bar"}
	var desc []string
	for _, k := range kinds {
		v := float64(h.by[k]) / 60
		hours.Values = append(hours.Values, v)
		desc = append(desc, fmt.Sprintf("%s: %g h", k, v))
	}
	return chart{ID: "report-hours-chart", Title: "Hours given by kind of member", Desc: strings.Join(desc, "; "), Labels: kinds,
		Series: []series{hours}, Format: func(v float64) string { return fmt.Sprintf("%g h", v) }}.Bars()
}

// reportCSV is a report's CSV download for the signed-in page user.
func (s *Server) reportCSV(c *fiber.Ctx) error {
	builds := map[string]reportBuilder{"pay": s.app.PayReport, "hours": s.app.HoursReport, "fill": s.app.FillReport,
		"fairness": s.app.FairnessReport, "reliability": s.app.ReliabilityReport, "expiring": s.app.ExpiringReport}
	build, ok := builds[c.Params("name")]
	if !ok {
		return domain.Errorf(domain.ENotFound, "there is nothing at this address")
	}
	c.Request().Header.Set(fiber.HeaderAccept, mimeCSV)
	return s.report(c, build, reportQuery(c))
}
