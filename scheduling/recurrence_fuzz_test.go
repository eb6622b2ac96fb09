package scheduling

import (
	"errors"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// FuzzValidateRRule feeds ValidateRRule anything at all. It must not panic,
// must refuse with a *domain.Error on field "rrule", and whatever it accepts
// must expand, within the shift limits, in bounded time.
func FuzzValidateRRule(f *testing.F) {
	for _, seed := range []string{
		"FREQ=WEEKLY;COUNT=6", "RRULE:FREQ=WEEKLY;BYDAY=FR,SA", "FREQ=DAILY;UNTIL=20271231",
		"FREQ=MONTHLY;BYDAY=-1FR;COUNT=12", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=2",
		"FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO;UNTIL=20281231", "FREQ=MONTHLY;BYDAY=MO,FR;BYSETPOS=-1;COUNT=500",
		"FREQ=DAILY;COUNT=501", "FREQ=WEEKLY;COUNT=6;UNTIL=20271231", "FREQ=HOURLY;COUNT=3",
		"FREQ=WEEKLY;INTERVAL=0", "FREQ=DAILY;INTERVAL=999;UNTIL=90001231", "FREQ=WEEKLY;COUNT=-1",
		"DTSTART:20270101T000000Z\nRRULE:FREQ=DAILY", "FREQ=;;", "=", ";", "FREQ=DAILY;BYDAY=+1MO",
		"FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6;COUNT=3", "freq=yearly;byyearday=366;count=3",
	} {
		f.Add(seed)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	lim := ShiftLimits(now)
	f.Fuzz(func(t *testing.T, rule string) {
		err := ValidateRRule(rule)
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Field != "rrule" || de.Fields[0].Message == "" {
				t.Fatalf("ValidateRRule(%q) = %v, want a *domain.Error on field rrule", rule, err)
			}
			return
		}
		s := Series{Start: WallTime{2027, time.January, 4, 9, 0}, Duration: 8 * time.Hour, Location: london, RRule: rule}
		occ, err := ExpandAll(s, lim)
		if err != nil {
			if domain.ErrorCode(err) != domain.EInvalid {
				t.Fatalf("ExpandAll(%q) = %v, want an invalid error", rule, err)
			}
		} else {
			if len(occ) == 0 || len(occ) > lim.MaxOccurrences {
				t.Fatalf("ExpandAll(%q) gave %d occurrences", rule, len(occ))
			}
			for i, o := range occ {
				if o.Start.After(now.Add(lim.Horizon)) || !o.End.After(o.Start) || (i > 0 && !o.Start.After(occ[i-1].Start)) {
					t.Fatalf("ExpandAll(%q) occurrence %d is %v", rule, i, o)
				}
			}
		}
		from, to := now.AddDate(5, 0, 0), now.AddDate(5, 1, 0)
		got, err := ExpandBetween(s, from, to)
		if err != nil {
			t.Fatalf("ExpandBetween(%q): %v", rule, err)
		}
		for _, o := range got {
			if !o.Start.Before(to) || !o.End.After(from) {
				t.Fatalf("ExpandBetween(%q) gave %v outside [%v, %v)", rule, o, from, to)
			}
		}
	})
}
