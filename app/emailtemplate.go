package app

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	texttemplate "text/template"
)

// Every email's plain text and HTML come from the templates under
// templates/, so invitations, resets and notices look alike whichever
// Notifier carries them.

//go:embed templates/*.tmpl
var templateFS embed.FS

var (
	emailText = texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/message.txt.tmpl"))
	emailHTML = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/message.html.tmpl"))
)

// emailData is what the email templates see.
type emailData struct {
	Name    string // the recipient's name
	Subject string
	Text    string
	When    string // the shift's time in its local zone, if the message is about one
	Link    string
}

// renderEmail fills m's Text (from the plain-text template) and HTML.
func renderEmail(m Message, d emailData) (Message, error) {
	d.Subject, d.Text, d.Link = m.Subject, m.Text, m.Link
	if d.Name == "" {
		d.Name = "there"
	}
	var text, html bytes.Buffer
	if err := emailText.Execute(&text, d); err != nil {
		return m, err
	}
	if err := emailHTML.Execute(&html, d); err != nil {
		return m, err
	}
	m.Text, m.HTML = text.String(), html.String()
	return m, nil
}
