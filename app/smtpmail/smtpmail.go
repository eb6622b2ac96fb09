// Package smtpmail sends copbank's email through an SMTP server with
// go-mail. It implements app.Notifier and knows nothing of the use cases:
// the composition root builds a Sender from COPBANK_SMTP_URL and hands it to
// the App.
package smtpmail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/copbank/copbank/app"
)

// server is a parsed smtp:// or smtps:// URL.
type server struct {
	host     string
	port     int
	tls      bool // smtps: TLS from the first byte
	user     string
	password string
}

func parseURL(v string) (server, error) {
	u, err := url.Parse(v)
	if err != nil {
		return server{}, fmt.Errorf("not a URL: %w", err)
	}
	var t server
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

// Sender sends email through an SMTP server.
type Sender struct {
	target server
	from   string
	// Timeout bounds one delivery.
	Timeout time.Duration
}

// New reads an smtp:// or smtps:// URL (STARTTLS when the server offers it,
// or TLS from the first byte); from is the From of every email. A URL that
// is not one of those is an error naming what is wrong with it.
func New(rawURL, from string) (*Sender, error) {
	t, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	return &Sender{target: t, from: from, Timeout: 30 * time.Second}, nil
}

// Send delivers m to m.To, with its HTML part and attachments if any.
func (n *Sender) Send(ctx context.Context, m app.Message) error {
	msg := mail.NewMsg()
	if err := msg.From(n.from); err != nil {
		return fmt.Errorf("from %q: %w", n.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	if m.Reference != "" {
		msg.SetMessageIDWithValue(messageID(m.Reference, n.from))
	}
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

// messageID is the Message-ID of the message ref names, on the domain of
// the From address: a message sent again after a crash mid-send has the
// same one, so mail clients show it once.
func messageID(ref, from string) string {
	host := "copbank.invalid"
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, h, ok := strings.Cut(a.Address, "@"); ok && h != "" {
			host = h
		}
	}
	sum := sha256.Sum256([]byte(ref))
	return hex.EncodeToString(sum[:16]) + "@" + host
}
