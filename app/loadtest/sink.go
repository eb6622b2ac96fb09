package loadtest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// sentMail is what the check needs of one delivered email.
type sentMail struct {
	to, subject, messageID string
	bookingID              string // from the attached calendar event's UID, if any
}

// sink is an SMTP server per serve process that accepts every message and
// keeps it; which server sent it is known by the port it came to.
type sink struct {
	urls []string
	srvs []*smtp.Server
	mu   sync.Mutex
	mail []sentMail
	// hold[i], while set, keeps each of server i's sends waiting that long
	// after the message is taken: a sender killed meanwhile has sent it
	// but not heard so. holding[i] counts its sends kept waiting.
	hold, holding []atomic.Int64
}

func startSink(n int) (*sink, error) {
	s := &sink{hold: make([]atomic.Int64, n), holding: make([]atomic.Int64, n)}
	for i := range n {
		srv := smtp.NewServer(sinkBackend{s, i})
		srv.Domain = "localhost"
		srv.AllowInsecureAuth = true
		srv.MaxMessageBytes = 4 << 20
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.close()
			return nil, err
		}
		go func() { _ = srv.Serve(l) }()
		s.srvs = append(s.srvs, srv)
		s.urls = append(s.urls, "smtp://"+l.Addr().String())
	}
	return s, nil
}

func (s *sink) close() {
	for _, srv := range s.srvs {
		_ = srv.Close()
	}
}

func (s *sink) messages() []sentMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentMail(nil), s.mail...)
}

type sinkBackend struct {
	s    *sink
	from int
}

func (b sinkBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return sinkSession(b), nil }

type sinkSession sinkBackend

func (sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (sinkSession) Reset()                               {}
func (sinkSession) Logout() error                        { return nil }
func (ss sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := parseMail(raw)
	ss.s.mu.Lock()
	ss.s.mail = append(ss.s.mail, m)
	ss.s.mu.Unlock()
	if d := time.Duration(ss.s.hold[ss.from].Load()); d > 0 {
		ss.s.holding[ss.from].Add(1)
		time.Sleep(d)
		ss.s.holding[ss.from].Add(-1)
	}
	return nil
}

// parseMail reads the headers the check uses and the booking ID from a
// text/calendar part (UID:<booking>@copbank); an unreadable message keeps
// what could be read, so it still counts as delivered.
func parseMail(raw []byte) sentMail {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return sentMail{}
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	out := sentMail{subject: subject, messageID: strings.Trim(msg.Header.Get("Message-Id"), "<> ")}
	if a, err := mail.ParseAddress(msg.Header.Get("To")); err == nil {
		out.to = strings.ToLower(a.Address)
	}
	out.bookingID = calendarUID(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, 0)
	return out
}

func calendarUID(contentType, encoding string, body io.Reader, depth int) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || depth > 5 {
		return ""
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return ""
			}
			if uid := calendarUID(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, depth+1); uid != "" {
				return uid
			}
		}
	}
	if mt != "text/calendar" {
		return ""
	}
	switch strings.ToLower(encoding) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // it skips line breaks itself
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	sc := bufio.NewScanner(body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "UID:"); ok {
			id, _, _ := strings.Cut(v, "@")
			return id
		}
	}
	return ""
}
