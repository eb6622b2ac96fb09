package web

import (
	"regexp"
	"strings"
	"testing"
)

func TestChartsScaleEscapeAndNeedNoStyle(t *testing.T) {
	t.Parallel()
	c := chart{ID: "c1", Title: "Fill <rate>", Desc: "A & B", Labels: []string{"<script>", "Two"},
		Series: []series{{Name: "Filled", Class: "bar", Values: []float64{0.5, 1}}, {Name: "Weighted", Class: "bar alt", Values: []float64{0.25, 2}}},
		Max:    1, Format: percent}
	widthRe := regexp.MustCompile(`<rect class="([a-z ]+)" x="0" y="\d+" width="([0-9.]+)"`)
	heightRe := regexp.MustCompile(`<rect class="[a-z ]+" x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="([0-9.]+)"`)
	for name, tc := range map[string]struct {
		svg  string
		re   *regexp.Regexp
		want []string
	}{
		"bars are as long as their share of the maximum, capped at it": {string(c.Bars()), widthRe, []string{"148.0", "74.0", "296.0", "296.0"}},
		"columns are as tall as their share of the maximum":            {string(c.Columns()), heightRe, []string{"88.0", "44.0", "176.0", "176.0"}},
	} {
		t.Run(name, func(t *testing.T) {
			for _, want := range []string{`role="img"`, `aria-labelledby="c1-title c1-desc"`, `<title id="c1-title">Fill &lt;rate&gt;</title>`,
				`<desc id="c1-desc">A &amp; B</desc>`, "&lt;script&gt;", "<title>Two, Weighted: 200%</title>"} {
				if want == "<title>Two, Weighted: 200%</title>" && tc.re == widthRe {
					want = "<title>Weighted: 200%</title>"
				}
				if !strings.Contains(tc.svg, want) {
					t.Errorf("lacks %q: %s", want, tc.svg)
				}
			}
			if strings.Contains(tc.svg, "<script") || strings.Contains(tc.svg, "style=") {
				t.Errorf("unescaped label or a style attribute: %s", tc.svg)
			}
			var got []string
			for _, m := range tc.re.FindAllStringSubmatch(tc.svg, -1) {
				got = append(got, m[len(m)-1])
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("sizes %v, want %v", got, tc.want)
			}
		})
	}
}

func TestChartOfNothingDrawsEmptyBars(t *testing.T) {
	t.Parallel()
	svg := string(chart{ID: "z", Title: "Hours", Labels: []string{"Volunteer"}, Series: []series{{Name: "Hours", Class: "bar", Values: []float64{0}}}}.Bars())
	if !strings.Contains(svg, `width="0.0"`) || strings.Contains(svg, "NaN") {
		t.Errorf("a chart of zeros: %s", svg)
	}
}
