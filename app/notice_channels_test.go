package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-smtp"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/smtpmail"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// smtpSink is an in-process SMTP server that keeps every message's data.
type smtpSink struct {
	mu   sync.Mutex
	msgs [][]byte
}

func (b *smtpSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{sink: b}, nil }

func (b *smtpSink) received() [][]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([][]byte(nil), b.msgs...)
}

type smtpSession struct{ sink *smtpSink }

func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	s.sink.msgs = append(s.sink.msgs, data)
	return nil
}
func (s *smtpSession) Reset()        {}
func (s *smtpSession) Logout() error { return nil }

// startSMTP serves SMTP on a free local port and returns its smtp:// URL.
func startSMTP(t *testing.T) (*smtpSink, string) {
	t.Helper()
	sink := &smtpSink{}
	srv := smtp.NewServer(sink)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return sink, "smtp://" + l.Addr().String()
}

// part is one leaf of a MIME message, decoded.
type part struct {
	contentType string
	filename    string
	body        []byte
}

func mimeParts(t *testing.T, header mail.Header, body io.Reader) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type %q: %v", header.Get("Content-Type"), err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		var out []part
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, mimeParts(t, mail.Header(p.Header), p)...)
		}
	}
	var rd io.Reader = body
	switch strings.ToLower(header.Get("Content-Transfer-Encoding")) {
	case "base64":
		rd = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		rd = quotedprintable.NewReader(body)
	}
	data, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	_, dparams, _ := mime.ParseMediaType(header.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	return []part{{contentType: mt, filename: name, body: data}}
}

func TestABookingConfirmationArrivesBySMTPWithLocalTimeAndAnICSAttachment(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		a := w.app
		sink, smtpURL := startSMTP(t)
		n, err := smtpmail.New(smtpURL, "copbank <noreply@example.org>")
		if err != nil {
			t.Fatal(err)
		}
		a.Notify = n
		a.Now = func() time.Time { return time.Now().UTC() }
		london, _ := time.LoadLocation("Europe/London")
		// 19:30 London, some day next week, whatever the season.
		d := time.Now().In(london).AddDate(0, 0, 7)
		start := time.Date(d.Year(), d.Month(), d.Day(), 19, 30, 0, 0, london)
		places := openShifts(t, w, coordinator(t, w), start, 1, 2)
		m := w.member(t, "sam@example.org", "DARL-N1", domain.KindVolunteer)
		if _, err := a.Book(ctx, signedIn(t, w, m), app.BookInput{ShiftID: places[0][0], PositionID: places[0][1]}); err != nil {
			t.Fatal(err)
		}
		runJobs(t, a)
		eventually(t, "the confirmation reaches the SMTP server", func() bool { return len(sink.received()) == 1 })

		msg, err := mail.ReadMessage(bytes.NewReader(sink.received()[0]))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if !strings.HasPrefix(subject, "Place confirmed") || !strings.Contains(subject, "19:30") {
			t.Errorf("subject %q, want a confirmation at 19:30", subject)
		}
		if to := msg.Header.Get("To"); !strings.Contains(to, "sam@example.org") {
			t.Errorf("to %q", to)
		}
		var text, html string
		var cal *ical.Calendar
		for _, p := range mimeParts(t, msg.Header, msg.Body) {
			switch {
			case p.contentType == "text/plain":
				text = string(p.body)
			case p.contentType == "text/html":
				html = string(p.body)
			case p.contentType == "text/calendar" || strings.HasSuffix(p.filename, ".ics"):
				if cal, err = ical.NewDecoder(bytes.NewReader(p.body)).Decode(); err != nil {
					t.Fatalf("the .ics does not parse: %v\n%s", err, p.body)
				}
			}
		}
		wantWhen := start.Format("Monday 2 January 2006, 15:04")
		for name, body := range map[string]string{"text": text, "html": html} {
			if !strings.Contains(body, wantWhen) || !strings.Contains(body, "/my-shifts") {
				t.Errorf("the %s part lacks %q or the link:\n%s", name, wantWhen, body)
			}
		}
		if cal == nil {
			t.Fatal("no .ics attachment")
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%d events in the .ics, want 1", len(events))
		}
		got, err := events[0].DateTimeStart(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(start) || got.In(london).Format("15:04") != "19:30" {
			t.Errorf("the event starts %v, want %v", got, start)
		}
		if tzid := events[0].Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID); tzid != "Europe/London" {
			t.Errorf("DTSTART TZID %q", tzid)
		}
	})
}

func TestSMSQuietHours(t *testing.T) {
	t.Parallel()
	london, _ := time.LoadLocation("Europe/London")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, london)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		name, now, start string
		held             bool
		until            string
	}{
		{"daytime sends", "2027-03-10 14:00", "2027-03-14 19:00", false, ""},
		{"08:00 sends", "2027-03-10 08:00", "2027-03-14 19:00", false, ""},
		{"20:59 sends", "2027-03-10 20:59", "2027-03-14 19:00", false, ""},
		{"21:00 waits until 08:00", "2027-03-10 21:00", "2027-03-14 19:00", true, "2027-03-11 08:00"},
		{"03:00 waits until 08:00 the same day", "2027-03-11 03:00", "2027-03-14 19:00", true, "2027-03-11 08:00"},
		{"a shift within 12 h sends at night", "2027-03-10 23:00", "2027-03-11 10:00", false, ""},
		{"a shift 13 h off waits only until 12 h before it", "2027-03-10 22:00", "2027-03-11 11:00", true, "2027-03-10 23:00"},
		{"across the October change", "2027-10-30 22:30", "2027-11-02 19:00", true, "2027-10-31 08:00"},
	} {
		until, held := app.SMSHeldUntil(at(c.now).UTC(), at(c.start).UTC(), london)
		if held != c.held || (held && !until.Equal(at(c.until))) {
			t.Errorf("%s: held %v until %v, want %v until %s", c.name, held, until.In(london), c.held, c.until)
		}
	}
}

func TestNoticesGoByTheMembersChosenChannels(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w, email, sms := noticeWorld(t, s)
		a := w.app
		// Midday London: outside quiet hours.
		noon := londonAt(t, 0, 12)
		a.Now = func() time.Time { return noon }
		places := openShifts(t, w, coordinator(t, w), noon.Add(72*time.Hour), 1, 3)
		byDefault := texter(t, w, "default@example.org", nil)
		both := texter(t, w, "both@example.org", map[string][]string{app.NoticeBooking: {"email", "sms"}})
		textOnly := texter(t, w, "text@example.org", map[string][]string{app.NoticeBooking: {"sms"}})
		for _, m := range []domain.Member{byDefault, both, textOnly} {
			if _, err := a.Book(ctx, signedIn(t, w, m), app.BookInput{ShiftID: places[0][0], PositionID: places[0][1]}); err != nil {
				t.Fatal(err)
			}
		}
		runJobs(t, a)
		eventually(t, "every notice goes out", func() bool { return email.count() == 2 && sms.count() == 2 })
		if len(email.to("default@example.org")) != 1 || len(email.to("both@example.org")) != 1 || len(email.to("text@example.org")) != 0 {
			t.Errorf("emails went to the wrong members: %+v", email.sent)
		}
		for _, msg := range sms.sent {
			if msg.Phone != "07700900123" || msg.To == "default@example.org" {
				t.Errorf("a text %+v", msg)
			}
		}
		time.Sleep(300 * time.Millisecond)
		if email.count() != 2 || sms.count() != 2 {
			t.Errorf("later: %d emails, %d texts; want 2 and 2", email.count(), sms.count())
		}
	})
}

func TestTextsWaitOutQuietHoursButEmailDoesNot(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w, email, sms := noticeWorld(t, s)
		a := w.app
		night := londonAt(t, 1, 23)
		a.Now = func() time.Time { return night }
		places := openShifts(t, w, coordinator(t, w), night.Add(72*time.Hour), 1, 1)
		m := texter(t, w, "sam@example.org", map[string][]string{app.NoticeBooking: {"email", "sms"}})
		if _, err := a.Book(ctx, signedIn(t, w, m), app.BookInput{ShiftID: places[0][0], PositionID: places[0][1]}); err != nil {
			t.Fatal(err)
		}
		runJobs(t, a)
		eventually(t, "the email goes out at night", func() bool { return email.count() == 1 })
		time.Sleep(500 * time.Millisecond)
		if sms.count() != 0 {
			t.Fatalf("a text went out at 23:00 for a shift three days off")
		}
	})
}
