package app

import (
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/scheduling"
)

func TestLeaveCutsWindowsAtItsDaysInTheForcesZone(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02T15:04", s, london)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	day := func(s string) domain.Date {
		d, err := domain.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// A summer Friday night, 22:00 to 02:00 (BST): leave days are London days, not UTC ones.
	night := scheduling.Occurrence{Start: at("2027-07-09T22:00"), End: at("2027-07-10T02:00")}
	week := scheduling.Occurrence{Start: at("2027-07-05T09:00"), End: at("2027-07-12T09:00")}
	for _, tc := range []struct {
		name   string
		window scheduling.Occurrence
		leave  []domain.Leave
		want   [][2]string
	}{
		{"no leave keeps the window", night, nil, [][2]string{{"2027-07-09T22:00", "2027-07-10T02:00"}}},
		{"leave on another day keeps it", night, []domain.Leave{{From: day("2027-07-12"), To: day("2027-07-13")}},
			[][2]string{{"2027-07-09T22:00", "2027-07-10T02:00"}}},
		{"leave on the Saturday keeps Friday's part", night, []domain.Leave{{From: day("2027-07-10"), To: day("2027-07-10")}},
			[][2]string{{"2027-07-09T22:00", "2027-07-10T00:00"}}},
		{"leave on the Friday keeps Saturday's part", night, []domain.Leave{{From: day("2027-07-09"), To: day("2027-07-09")}},
			[][2]string{{"2027-07-10T00:00", "2027-07-10T02:00"}}},
		{"leave over both days removes it", night, []domain.Leave{{From: day("2027-07-01"), To: day("2027-07-31")}}, nil},
		{"two spells of leave in a week-long window leave three parts", week, []domain.Leave{
			{From: day("2027-07-06"), To: day("2027-07-06")}, {From: day("2027-07-09"), To: day("2027-07-10")}},
			[][2]string{{"2027-07-05T09:00", "2027-07-06T00:00"}, {"2027-07-07T00:00", "2027-07-09T00:00"}, {"2027-07-11T00:00", "2027-07-12T09:00"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := outsideLeave([]scheduling.Occurrence{tc.window}, tc.leave, london)
			if len(got) != len(tc.want) {
				t.Fatalf("%d windows, want %d: %v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				if !got[i].Start.Equal(at(w[0])) || !got[i].End.Equal(at(w[1])) {
					t.Errorf("window %d is %s to %s, want %s to %s", i, got[i].Start.In(london), got[i].End.In(london), w[0], w[1])
				}
			}
		})
	}
}
