package domain_test

import (
	"math"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

func TestPriceWorkedMatchesHandComputedPayToThePenny(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	cal := domain.PayCalendar{Zone: london, BankHolidays: map[domain.Date]bool{
		{Year: 2026, Month: time.December, Day: 25}: true,
		{Year: 2026, Month: time.December, Day: 28}: true,
	}}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02T15:04", s, london)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	std := domain.DefaultPaySettings() // unsocial 1.3, weekend 1.5, bank holiday 2.0
	lowWeekend := std
	lowWeekend.Weekend = domain.MultiplierOf(1.2)
	for _, tc := range []struct {
		name       string
		start, end string
		rate       int64
		settings   domain.PaySettings
		want       domain.PayLine
	}{
		{name: "a weekday day shift is all plain", start: "2027-01-06T09:00", end: "2027-01-06T17:00", rate: 1850, settings: std,
			want: domain.PayLine{Minutes: 480, PlainMinutes: 480, AmountPence: 14800}}, // 8 × 1850
		{name: "18:00 to 02:00 on a Wednesday is 2 h plain and 6 h unsocial", start: "2027-01-06T18:00", end: "2027-01-07T02:00", rate: 1850, settings: std,
			want: domain.PayLine{Minutes: 480, PlainMinutes: 120, UnsocialMinutes: 360, AmountPence: 18130}}, // 1850 × (2 + 6 × 1.3)
		{name: "the same evening at an odd rate rounds once, half up", start: "2027-01-06T18:00", end: "2027-01-07T02:00", rate: 1851, settings: std,
			want: domain.PayLine{Minutes: 480, PlainMinutes: 120, UnsocialMinutes: 360, AmountPence: 18140}}, // 1851 × 9.8 = 18139.8
		{name: "friday night into saturday turns weekend at midnight", start: "2027-01-08T22:00", end: "2027-01-09T06:00", rate: 1850, settings: std,
			want: domain.PayLine{Minutes: 480, UnsocialMinutes: 120, WeekendMinutes: 360, AmountPence: 21460}}, // 1850 × (2 × 1.3 + 6 × 1.5)
		{name: "the highest multiplier wins each minute: unsocial over a lower weekend rate", start: "2027-01-08T22:00", end: "2027-01-09T06:00", rate: 1850, settings: lowWeekend,
			want: domain.PayLine{Minutes: 480, UnsocialMinutes: 480, AmountPence: 19240}}, // 1850 × 8 × 1.3
		{name: "a bank holiday night is bank holiday until midnight, then unsocial", start: "2026-12-28T22:00", end: "2026-12-29T06:00", rate: 1850, settings: std,
			want: domain.PayLine{Minutes: 480, BankHolidayMinutes: 120, UnsocialMinutes: 360, AmountPence: 21830}}, // 1850 × (2 × 2 + 6 × 1.3)
		{name: "eight wall-clock hours across the spring change are seven paid", start: "2026-03-28T20:00", end: "2026-03-29T04:00", rate: 1850, settings: std,
			want: domain.PayLine{Minutes: 420, WeekendMinutes: 420, AmountPence: 19425}}, // 1850 × 7 × 1.5
		{name: "eight wall-clock hours across the autumn change are nine paid", start: "2026-10-24T20:00", end: "2026-10-25T04:00", rate: 1850, settings: std,
			want: domain.PayLine{Minutes: 540, WeekendMinutes: 540, AmountPence: 24975}}, // 1850 × 9 × 1.5
		{name: "a weekday evening splits exactly at 20:00 to the minute", start: "2027-01-06T19:59", end: "2027-01-06T20:01", rate: 6000, settings: std,
			want: domain.PayLine{Minutes: 2, PlainMinutes: 1, UnsocialMinutes: 1, AmountPence: 230}}, // 100 + 130
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := domain.PriceWorked(at(tc.start), at(tc.end), tc.rate, tc.settings, cal)
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}

	t.Run("a late force cancellation pays the booked hours up to 4 at the plain rate", func(t *testing.T) {
		got := domain.PriceLateCancel(at("2027-01-06T18:00"), at("2027-01-07T02:00"), 1850, std)
		if want := (domain.PayLine{LateCancelMinutes: 240, AmountPence: 7400}); got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		got = domain.PriceLateCancel(at("2027-01-06T18:00"), at("2027-01-06T20:30"), 1850, std)
		if want := (domain.PayLine{LateCancelMinutes: 150, AmountPence: 4625}); got != want {
			t.Fatalf("a shorter booking: got %+v, want %+v", got, want)
		}
	})

	t.Run("a rate change applies from the shift's local start date", func(t *testing.T) {
		rates := []domain.PayRate{
			{Code: "B2", RatePence: 2000, EffectiveFrom: domain.Date{Year: 2027, Month: time.July, Day: 1}},
			{Code: "B2", RatePence: 1850, EffectiveFrom: domain.Date{Year: 2027, Month: time.January, Day: 1}},
		}
		price := func(start, end string) int64 {
			s := at(start)
			r, ok := domain.RateOn(rates, domain.DateOf(s.In(london)))
			if !ok {
				t.Fatalf("no rate on %s", start)
			}
			return domain.PriceWorked(s, at(end), r.RatePence, std, cal).AmountPence
		}
		if got := price("2027-06-30T16:00", "2027-06-30T20:00"); got != 7400 { // 4 × 1850
			t.Fatalf("the shift before the change: got %d, want 7400", got)
		}
		// 00:30 BST on 1 July is still 30 June in UTC: the local date decides.
		if got := price("2027-07-01T00:30", "2027-07-01T04:30"); got != 10400 { // 4 × 1.3 × 2000
			t.Fatalf("the shift after the change: got %d, want 10400", got)
		}
		if _, ok := domain.RateOn(rates, domain.Date{Year: 2026, Month: time.December, Day: 31}); ok {
			t.Fatal("a rate before the band's first was found")
		}
	})
}

func TestFairnessOfHours(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		hours     []float64
		gini, top float64
	}{
		{name: "equal hours are perfectly fair", hours: []float64{8, 8, 8, 8}, gini: 0, top: 0.25},
		{name: "one of four doing everything", hours: []float64{0, 0, 0, 12}, gini: 0.75, top: 1},
		// sorted 0, 4, 8, 12: 2 × (1×0 + 2×4 + 3×8 + 4×12) / (4 × 24) − 5/4 = 160/96 − 1.25
		{name: "a spread", hours: []float64{12, 0, 8, 4}, gini: 160.0/96 - 1.25, top: 0.5},
		{name: "nobody worked", hours: []float64{0, 0}, gini: 0, top: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, top := domain.Fairness(tc.hours)
			if math.Abs(g-tc.gini) > 1e-9 || math.Abs(top-tc.top) > 1e-9 {
				t.Fatalf("got gini %v top %v, want %v %v", g, top, tc.gini, tc.top)
			}
		})
	}
}
