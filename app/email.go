package app

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net"
	"net/url"
	"strconv"
	texttemplate "text/template"
	"time"

	"github.com/wneessen/go-mail"
)

// Email over SMTP (issue 7): go-mail speaks to the server named by
// COPBANK_SMTP_URL; the message's plain text and HTML come from the
// templates under templates/.

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

// smtpTarget is a parsed COPBANK_SMTP_URL.
type smtpTarget struct {
	host     string
	port     int
	tls      bool // smtps: TLS from the first byte
	user     string
	password string
}

func parseSMTPURL(v string) (smtpTarget, error) {
	u, err := url.Parse(v)
	if err != nil {
		return smtpTarget{}, fmt.Errorf("not a URL: %w", err)
	}
	var t smtpTarget
	switch u.Scheme {
	case "smtp":
		t.port = 587
	case "smtps":
		t.port, t.tls = 465, true
	default:
		return t, fmt.Errorf("%q: use smtp://user:pass@host:port or smtps://…", u.Redacted())
	}
	t.host = u.Hostname()
	if t.host == "" {
		return t, fmt.Errorf("%q names no host", u.Redacted())
	}
	if p := u.Port(); p != "" {
		if t.port, err = strconv.Atoi(p); err != nil || t.port <= 0 || t.port > 65535 {
			return t, fmt.Errorf("%q: bad port", u.Redacted())
		}
	}
	if u.User != nil {
		t.user = u.User.Username()
		t.password, _ = u.User.Password()
	}
	return t, nil
}

// maskedSMTP is an SMTP URL fit for the log.
func maskedSMTP(v string) string {
	if v == "" {
		return "(none: email is logged)"
	}
	u, err := url.Parse(v)
	if err != nil {
		return "(unparseable)"
	}
	return u.Redacted()
}

// SMTPNotifier sends email through an SMTP server.
type SMTPNotifier struct {
	target smtpTarget
	from   string
	// Timeout bounds one delivery.
	Timeout time.Duration
}

// NewSMTPNotifier reads an smtp:// or smtps:// URL.
func NewSMTPNotifier(rawURL, from string) (*SMTPNotifier, error) {
	t, err := parseSMTPURL(rawURL)
	if err != nil {
		return nil, err
	}
	return &SMTPNotifier{target: t, from: from, Timeout: 30 * time.Second}, nil
}

// Send delivers m to m.To, with its HTML part and attachments if any.
func (n *SMTPNotifier) Send(ctx context.Context, m Message) error {
	msg := mail.NewMsg()
	if err := msg.From(n.from); err != nil {
		return fmt.Errorf("from %q: %w", n.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	for _, at := range m.Attachments {
		if err := msg.AttachReader(at.Name, bytes.NewReader(at.Data), mail.WithFileContentType(mail.ContentType(at.ContentType))); err != nil {
			return fmt.Errorf("attach %s: %w", at.Name, err)
		}
	}
	opts := []mail.Option{mail.WithPort(n.target.port), mail.WithTimeout(n.Timeout)}
	if n.target.tls {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if n.target.user != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(n.target.user), mail.WithPassword(n.target.password))
	}
	c, err := mail.NewClient(n.target.host, opts...)
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s: %w", net.JoinHostPort(n.target.host, strconv.Itoa(n.target.port)), err)
	}
	return nil
}
