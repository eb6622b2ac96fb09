package app_test

import (
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

func TestTheNoShowPolicyIsReadFromTheEnvironment(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	for _, tc := range []struct {
		name string
		env  map[string]string
		want domain.NoShowPolicy
		bad  bool
	}{
		{name: "unset is two no-shows in 90 days, held 90 days", want: domain.NoShowPolicy{Count: 2, Window: 90 * day, HoldFor: 90 * day}},
		{name: "each may be set", env: map[string]string{"COPBANK_NOSHOW_COUNT": "3", "COPBANK_NOSHOW_WINDOW_DAYS": "60", "COPBANK_NOSHOW_HOLD_DAYS": "30"},
			want: domain.NoShowPolicy{Count: 3, Window: 60 * day, HoldFor: 30 * day}},
		{name: "a count of 0 turns it off", env: map[string]string{"COPBANK_NOSHOW_COUNT": "0"}, want: domain.NoShowPolicy{Window: 90 * day, HoldFor: 90 * day}},
		{name: "a window of 0 days is refused", env: map[string]string{"COPBANK_NOSHOW_WINDOW_DAYS": "0"}, bad: true},
		{name: "words are refused", env: map[string]string{"COPBANK_NOSHOW_HOLD_DAYS": "ninety"}, bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := app.LoadConfig(func(k string) string { return tc.env[k] })
			if tc.bad {
				if err == nil {
					t.Fatalf("accepted %v", tc.env)
				}
				return
			}
			if err != nil || c.NoShow != tc.want {
				t.Fatalf("got %+v, %v; want %+v", c.NoShow, err, tc.want)
			}
		})
	}
}
