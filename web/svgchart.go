package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Charts drawn as inline SVG on the server: no script, no style attributes
// (the CSP forbids inline style). Colours come from CSS classes in the
// stylesheet; every chart carries a <title> and a <desc> and is labelled by
// them, and the page gives the same figures as a table.

// series is one set of values, one per label, drawn with a CSS class.
type series struct {
	Name, Class string
	Values      []float64
}

// chart is a bar or column chart of one or more series over labels.
type chart struct {
	ID, Title, Desc string
	Labels          []string
	Series          []series
	Max             float64              // the axis maximum; 0 = the largest value
	Format          func(float64) string // a value's label; nil = %g
}

const (
	chartWidth = 360 // viewBox units; the SVG scales to its container
	chartFont  = 14
)

func (c chart) max() float64 {
	if c.Max > 0 {
		return c.Max
	}
	m := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			m = math.Max(m, v)
		}
	}
	if m == 0 {
		return 1
	}
	return m
}

func (c chart) label(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return fmt.Sprintf("%g", v)
}

func (c chart) value(s series, i int) float64 {
	if i < len(s.Values) && !math.IsNaN(s.Values[i]) && s.Values[i] > 0 {
		return s.Values[i]
	}
	return 0
}

// tip labels one value for its tooltip: a missing value (NaN) by the
// chart's Format, which says why it is missing, rather than as zero.
func (c chart) tip(s series, i int) string {
	if i < len(s.Values) && math.IsNaN(s.Values[i]) && c.Format != nil {
		return c.Format(s.Values[i])
	}
	return c.label(c.value(s, i))
}

// open writes the <svg> start tag and its accessible name and description.
func (c chart) open(b *strings.Builder, height int) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc" focusable="false">`,
		chartWidth, height, esc(c.ID), esc(c.ID))
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
}

// Bars draws horizontal bars: each label on its own line with one bar per
// series under it, the value at the bar's end. It reads well at 320 px.
func (c chart) Bars() template.HTML {
	const barH, gap, labelH, valueW = 16, 3, chartFont + 6, 64
	rowH := labelH + len(c.Series)*(barH+gap) + 10
	height := len(c.Labels)*rowH + 4
	maxW := float64(chartWidth - valueW)
	top := c.max()
	var b strings.Builder
	c.open(&b, height)
	for i, l := range c.Labels {
		y := i * rowH
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="%d">%s</text>`, y+chartFont, chartFont, esc(l))
		for j, s := range c.Series {
			v := c.value(s, i)
			w := math.Min(v/top, 1) * maxW
			by := y + labelH + j*(barH+gap)
			fmt.Fprintf(&b, `<rect class="%s" x="0" y="%d" width="%.1f" height="%d"><title>%s: %s</title></rect>`,
				esc(s.Class), by, w, barH, esc(s.Name), esc(c.label(v)))
			fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%d" font-size="%d">%s</text>`, w+4, by+barH-3, chartFont-1, esc(c.label(v)))
		}
	}
	fmt.Fprintf(&b, `<line class="axis" x1="0" y1="0" x2="0" y2="%d"/>`, height)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}

// Columns draws vertical columns, one group per label along the bottom, with
// gridlines at quarters of the maximum: for a series over time.
func (c chart) Columns() template.HTML {
	const left, bottom, top, height = 40, 34, 10, 220
	plotH := float64(height - bottom - top)
	n := max(len(c.Labels), 1)
	groupW := float64(chartWidth-left) / float64(n)
	colW := math.Max((groupW-6)/float64(max(len(c.Series), 1)), 2)
	peak := c.max()
	var b strings.Builder
	c.open(&b, height)
	for q := 0; q <= 4; q++ {
		y := float64(top) + plotH*(1-float64(q)/4)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, left, y, chartWidth, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="11" text-anchor="end">%s</text>`, left-4, y+4, esc(c.label(peak*float64(q)/4)))
	}
	for i, l := range c.Labels {
		x0 := float64(left) + groupW*float64(i) + 3
		for j, s := range c.Series {
			v := c.value(s, i)
			h := math.Min(v/peak, 1) * plotH
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s, %s: %s</title></rect>`,
				esc(s.Class), x0+colW*float64(j), float64(top)+plotH-h, colW, h, esc(l), esc(s.Name), esc(c.tip(s, i)))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%s</text>`, x0+(groupW-6)/2, height-bottom+16, esc(l))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, left, float64(top)+plotH, chartWidth, float64(top)+plotH)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// percent formats a rate as "75%".
func percent(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }
