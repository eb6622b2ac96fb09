package loadtest

import (
	"bytes"
	"strings"
	"testing"

	gomail "github.com/wneessen/go-mail"
)

func TestParseMailFindsTheBookingInTheCalendarAndTheMessageID(t *testing.T) {
	t.Parallel()
	msg := gomail.NewMsg()
	if err := msg.From("copbank <noreply@copbank.test>"); err != nil {
		t.Fatal(err)
	}
	if err := msg.To("Member@Example.org"); err != nil {
		t.Fatal(err)
	}
	msg.Subject("Place confirmed: Patrol, Mon 7 Dec 2026 18:00")
	msg.SetMessageIDWithValue("abc@copbank.test")
	msg.SetBodyString(gomail.TypeTextPlain, "Your place is confirmed.")
	msg.AddAlternativeString(gomail.TypeTextHTML, "<p>Your place is confirmed.</p>")
	ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:01JBOOKING@copbank\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	if err := msg.AttachReader("shift.ics", strings.NewReader(ics), gomail.WithFileContentType("text/calendar; charset=utf-8; method=PUBLISH")); err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if _, err := msg.WriteTo(&raw); err != nil {
		t.Fatal(err)
	}
	got := parseMail(raw.Bytes())
	want := sentMail{to: "member@example.org", subject: "Place confirmed: Patrol, Mon 7 Dec 2026 18:00", messageID: "abc@copbank.test", bookingID: "01JBOOKING"}
	if got != want {
		t.Errorf("parseMail:\n got %+v\nwant %+v", got, want)
	}
}
