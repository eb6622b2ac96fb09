package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The dashboard: charts of fill and hours drawn as SVG on the server, each
// with the same figures as a table.

// tableRow is one row of a chart's table alternative.
type tableRow struct {
	Label string
	Cells []string
}

// dashChart is a chart with its table.
type dashChart struct {
	ID, Heading, Intro string
	SVG                template.HTML
	Legend             []series
	Columns            []string // the table's column headings after the first
	FirstColumn        string
	Rows               []tableRow
}

type dashData struct {
	Scope, Period, Summary string
	Charts                 []dashChart
}

func dayMonth(d domain.Date) string {
	t, err := time.Parse("2006-01-02", d.String())
	if err != nil {
		return d.String()
	}
	return t.Format("2 Jan")
}

func hoursLabel(v float64) string { return fmt.Sprintf("%.0f h", v) }

func countLabel(v float64) string { return fmt.Sprintf("%.0f", v) }

func (s *Server) dashboardPage(c *fiber.Ctx) error {
	p := principal(c)
	d, err := s.app.Dashboard(c.UserContext(), p)
	if err != nil {
		return err
	}
	data := dashData{Scope: "All areas", Period: fmt.Sprintf("Weeks from %s to %s", dateWords(d.From), dateWords(d.To.AddDays(-1)))}
	if !p.IsAdmin() {
		var names []string
		for _, a := range p.User.Areas {
			names = append(names, a.Name)
		}
		data.Scope = "Your areas: " + joinWords(names)
	}
	data.Summary = fmt.Sprintf("%d of %d places filled (%s); priority-weighted %s.", d.Total.Filled, d.Total.Places,
		percent(d.Total.Rate()), percent(d.Total.WeightedRate()))
	if d.Total.Places == 0 {
		data.Summary = "No shifts in these weeks."
	}
	data.Charts = append(data.Charts, weekFillChart(d), areaFillChart(d), hoursChart(d), expiryChart(d))
	return s.render(c, fiber.StatusOK, "dash_dashboard", pageView{Title: "Dashboard", Nav: "dashboard", Data: data})
}

func fillSeries(n int) (series, series) {
	return series{Name: "Places filled", Class: "bar", Values: make([]float64, 0, n)},
		series{Name: "Priority-weighted", Class: "bar alt", Values: make([]float64, 0, n)}
}

func weekFillChart(d app.Dashboard) dashChart {
	plain, weighted := fillSeries(len(d.Weeks))
	ch := dashChart{ID: "fill-week", Heading: "Fill rate by week", FirstColumn: "Week from",
		Intro:   "The share of places filled on shifts starting each week, plain and weighted by priority (urgent shifts count five times routine ones).",
		Columns: []string{"Places", "Filled", "Fill rate", "Priority-weighted"}}
	var labels []string
	for _, w := range d.Weeks {
		labels = append(labels, dayMonth(w.Start))
		plain.Values = append(plain.Values, rateOf(w.Fill, w.Rate()))
		weighted.Values = append(weighted.Values, rateOf(w.Fill, w.WeightedRate()))
		ch.Rows = append(ch.Rows, tableRow{Label: dateWords(w.Start), Cells: fillCells(w.Fill)})
	}
	ch.Legend = []series{plain, weighted}
	ch.SVG = chart{ID: ch.ID, Title: ch.Heading, Desc: describeFill(labels, plain.Values, weighted.Values),
		Labels: labels, Series: ch.Legend, Max: 1, Format: rateWords}.Columns()
	return ch
}

func areaFillChart(d app.Dashboard) dashChart {
	plain, weighted := fillSeries(len(d.Areas))
	ch := dashChart{ID: "fill-area", Heading: "Fill rate by area", FirstColumn: "Area",
		Intro:   "The share of places filled over the same weeks, by area, plain and priority-weighted.",
		Columns: []string{"Places", "Filled", "Fill rate", "Priority-weighted"}}
	var labels []string
	for _, a := range d.Areas {
		name := a.Name
		if a.Code != "" {
			name += " (" + a.Code + ")"
		}
		labels = append(labels, name)
		plain.Values = append(plain.Values, a.Rate())
		weighted.Values = append(weighted.Values, a.WeightedRate())
		ch.Rows = append(ch.Rows, tableRow{Label: name, Cells: fillCells(a.Fill)})
	}
	ch.Legend = []series{plain, weighted}
	if len(labels) > 0 {
		ch.SVG = chart{ID: ch.ID, Title: ch.Heading, Desc: describeFill(labels, plain.Values, weighted.Values),
			Labels: labels, Series: ch.Legend, Max: 1, Format: percent}.Bars()
	}
	return ch
}

func fillCells(f app.Fill) []string {
	if f.Places == 0 {
		return []string{"0", "0", noShifts, noShifts}
	}
	return []string{fmt.Sprint(f.Places), fmt.Sprint(f.Filled), percent(f.Rate()), percent(f.WeightedRate())}
}

// noShifts stands for a fill rate where there were no places to fill: not
// 0%, which would read as a week nobody turned up.
const noShifts = "no shifts"

// rateOf is a rate for a chart, NaN when there were no places.
func rateOf(f app.Fill, rate float64) float64 {
	if f.Places == 0 {
		return math.NaN()
	}
	return rate
}

// rateWords formats a rate, or says there were no shifts.
func rateWords(v float64) string {
	if math.IsNaN(v) {
		return noShifts
	}
	return percent(v)
}

func describeFill(labels []string, plain, weighted []float64) string {
	var parts []string
	for i, l := range labels {
		if math.IsNaN(plain[i]) {
			parts = append(parts, l+": "+noShifts)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s (weighted %s)", l, percent(plain[i]), percent(weighted[i])))
	}
	if len(parts) == 0 {
		return "No shifts in this period."
	}
	return strings.Join(parts, "; ") + "."
}

func hoursChart(d app.Dashboard) dashChart {
	hours := series{Name: "Hours", Class: "bar"}
	ch := dashChart{ID: "hours-kind", Heading: "Hours by kind of member", FirstColumn: "Kind", Columns: []string{"Hours"},
		Intro: "Hours of confirmed and attended bookings over the same weeks, by kind of member (a member of several kinds counts under the most demanding)."}
	var labels, parts []string
	for _, k := range d.Hours {
		name := kindWords([]domain.Kind{k.Kind})
		labels = append(labels, name)
		hours.Values = append(hours.Values, k.Hours)
		ch.Rows = append(ch.Rows, tableRow{Label: name, Cells: []string{hoursLabel(k.Hours)}})
		parts = append(parts, name+": "+hoursLabel(k.Hours))
	}
	ch.Legend = []series{hours}
	ch.SVG = chart{ID: ch.ID, Title: ch.Heading, Desc: strings.Join(parts, "; ") + ".", Labels: labels, Series: ch.Legend, Format: hoursLabel}.Bars()
	return ch
}

func expiryChart(d app.Dashboard) dashChart {
	counts := series{Name: "Clearances expiring", Class: "bar alt"}
	ch := dashChart{ID: "expiring", Heading: fmt.Sprintf("Clearances expiring in the next %d days", app.ExpiryWindowDays), FirstColumn: "Week from",
		Intro:   fmt.Sprintf("%d active clearances of your members end in the next %d days, by the week of their last day.", d.Expiring, app.ExpiryWindowDays),
		Columns: []string{"Clearances"}}
	var labels, parts []string
	for _, w := range d.ExpiringWeeks {
		labels = append(labels, dayMonth(w.Start))
		counts.Values = append(counts.Values, float64(w.Count))
		ch.Rows = append(ch.Rows, tableRow{Label: dateWords(w.Start), Cells: []string{fmt.Sprint(w.Count)}})
		parts = append(parts, fmt.Sprintf("week from %s: %d", dayMonth(w.Start), w.Count))
	}
	for _, t := range d.ExpiringTypes {
		if t.Count > 0 {
			ch.Rows = append(ch.Rows, tableRow{Label: "of which " + clearanceName(t.Type), Cells: []string{fmt.Sprint(t.Count)}})
		}
	}
	ch.Legend = []series{counts}
	top := 0.0
	for _, v := range counts.Values {
		top = max(top, v)
	}
	ch.SVG = chart{ID: ch.ID, Title: ch.Heading, Desc: strings.Join(parts, "; ") + ".", Labels: labels, Series: ch.Legend,
		Max: max(top, 4), Format: countLabel}.Columns()
	return ch
}
