package web

import (
	"html"
	"html/template"
	"regexp"
	"strings"
)

// The signposting pages are written in a small, safe subset of Markdown:
// paragraphs, "## " and "### " headings, "- " and "1. " lists, **bold** and
// [links](…). Every piece of text is escaped before it is wrapped in a tag,
// so no HTML an author types ever reaches the page; a link whose address is
// not http(s), mailto or relative keeps its words and loses the link. "# " is
// read as "## ": the page's title is its only h1.

var (
	mdLink    = regexp.MustCompile(`\[([^\]\n]+)\]\(([^)\s]+)\)`)
	mdBold    = regexp.MustCompile(`\*\*([^*\n]+)\*\*`)
	mdOrdered = regexp.MustCompile(`^\d{1,3}[.)]\s+`)
	mdScheme  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
)

// renderMarkdown turns a page body into HTML.
func renderMarkdown(src string) template.HTML {
	var out strings.Builder
	var para []string
	list := "" // "ul" or "ol" while inside a list
	flushPara := func() {
		if len(para) > 0 {
			out.WriteString("<p>" + inlineMarkdown(strings.Join(para, " ")) + "</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if list != "" {
			out.WriteString("</" + list + ">\n")
			list = ""
		}
	}
	openList := func(kind string) {
		if list != kind {
			closeList()
			out.WriteString("<" + kind + ">\n")
			list = kind
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			flushPara()
			closeList()
		case strings.HasPrefix(line, "### "):
			flushPara()
			closeList()
			out.WriteString("<h3>" + inlineMarkdown(strings.TrimSpace(line[4:])) + "</h3>\n")
		case strings.HasPrefix(line, "## "), strings.HasPrefix(line, "# "):
			flushPara()
			closeList()
			out.WriteString("<h2>" + inlineMarkdown(strings.TrimSpace(strings.TrimLeft(line, "#"))) + "</h2>\n")
		case strings.HasPrefix(line, "- "), strings.HasPrefix(line, "* "):
			flushPara()
			openList("ul")
			out.WriteString("<li>" + inlineMarkdown(strings.TrimSpace(line[2:])) + "</li>\n")
		case mdOrdered.MatchString(line):
			flushPara()
			openList("ol")
			out.WriteString("<li>" + inlineMarkdown(mdOrdered.ReplaceAllString(line, "")) + "</li>\n")
		default:
			if list != "" {
				closeList()
			}
			para = append(para, line)
		}
	}
	flushPara()
	closeList()
	return template.HTML(out.String()) //nolint:gosec // every piece of text is escaped above
}

// inlineMarkdown escapes a line of text, making links and bold of the
// markup that asks for them.
func inlineMarkdown(s string) string {
	var out strings.Builder
	last := 0
	for _, m := range mdLink.FindAllStringSubmatchIndex(s, -1) {
		out.WriteString(boldMarkdown(s[last:m[0]]))
		text, href := s[m[2]:m[3]], s[m[4]:m[5]]
		if safeHref(href) {
			out.WriteString(`<a href="` + html.EscapeString(href) + `">` + boldMarkdown(text) + "</a>")
		} else {
			out.WriteString(boldMarkdown(text))
		}
		last = m[1]
	}
	out.WriteString(boldMarkdown(s[last:]))
	return out.String()
}

func boldMarkdown(s string) string {
	var out strings.Builder
	last := 0
	for _, m := range mdBold.FindAllStringSubmatchIndex(s, -1) {
		out.WriteString(html.EscapeString(s[last:m[0]]))
		out.WriteString("<strong>" + html.EscapeString(s[m[2]:m[3]]) + "</strong>")
		last = m[1]
	}
	out.WriteString(html.EscapeString(s[last:]))
	return out.String()
}

// safeHref allows web and email addresses and addresses on this site; a
// protocol-relative "//host" is another site, so it must name its scheme.
func safeHref(href string) bool {
	// Browsers drop control characters from an address before reading its
	// scheme, so "\x01javascript:" would pass the scheme test below.
	if strings.ContainsFunc(href, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return false
	}
	lower := strings.ToLower(href)
	switch {
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "mailto:"):
		return len(href) > len("mailto:")
	case strings.HasPrefix(href, "//"), strings.HasPrefix(href, `/\`), strings.Contains(href, `\`):
		return false
	default:
		return !mdScheme.MatchString(href)
	}
}
