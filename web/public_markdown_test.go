package web

import (
	"strings"
	"testing"
)

func TestMarkdownLetsNoHTMLOrScriptAddressThrough(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, src string
		want      []string // substrings of the HTML
		not       []string
	}{
		{name: "a script tag is shown as text", src: `<script>alert("x")</script>`,
			want: []string{"<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</p>"}, not: []string{"<script"}},
		{name: "an attribute cannot be broken out of", src: `[x](/a"onmouseover="alert(1))`,
			not: []string{`"onmouseover`, "onmouseover=\"alert"}},
		{name: "a javascript address loses its link", src: "[click](javascript:alert(1))", want: []string{"click"}, not: []string{"href", "javascript"}},
		{name: "a control character before the scheme loses its link", src: "[click](\x01javascript:alert)", not: []string{"href"}},
		{name: "a data address loses its link", src: "[x](data:text/html;base64,PHNjcmlwdD4=)", not: []string{"href"}},
		{name: "a protocol-relative address loses its link", src: "[x](//evil.example)", not: []string{"href"}},
		{name: "web, email and site addresses are links", src: "[a](https://www.gov.uk/find-local-council) [b](mailto:asb@example.org) [c](/help/report)",
			want: []string{`<a href="https://www.gov.uk/find-local-council">a</a>`, `<a href="mailto:asb@example.org">b</a>`, `<a href="/help/report">c</a>`}},
		{name: "headings start at h2, under the page's h1", src: "# One\n## Two\n### Three",
			want: []string{"<h2>One</h2>", "<h2>Two</h2>", "<h3>Three</h3>"}, not: []string{"<h1>"}},
		{name: "lists and paragraphs", src: "Intro\nmore\n\n- a\n- **b**\n\n1. first\n2. second",
			want: []string{"<p>Intro more</p>", "<ul>\n<li>a</li>\n<li><strong>b</strong></li>\n</ul>", "<ol>\n<li>first</li>\n<li>second</li>\n</ol>"}},
		{name: "bold cannot smuggle markup", src: "**<img src=x onerror=alert(1)>**", want: []string{"<strong>&lt;img"}, not: []string{"<img"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := string(renderMarkdown(c.src))
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(got, n) {
					t.Errorf("%q holds %q", got, n)
				}
			}
		})
	}
}
