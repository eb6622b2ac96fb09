package domain_test

import (
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

func TestSummariseActivityWithholdsEveryFigureBelowThree(t *testing.T) {
	t.Parallel()
	at := time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)
	rec := func(shift string, p domain.ProblemType, length time.Duration, kinds ...domain.Kind) domain.ActivityRecord {
		return domain.ActivityRecord{ShiftID: shift, ProblemType: p, Start: at, End: at.Add(length), MemberKinds: kinds}
	}
	vol, bank := domain.KindVolunteer, domain.KindBankOfficer
	rows := domain.SummariseActivity([]domain.ActivityRecord{
		// speedwatch: three shifts exactly, 2 h 58 min of volunteer time, 3 h of bank time
		rec("s1", "speedwatch", 58*time.Minute, vol), rec("s2", "speedwatch", time.Hour, vol), rec("s3", "speedwatch", time.Hour, vol),
		rec("s3", "speedwatch", 3*time.Hour, bank, vol),
		// asb: two people on one shift is one shift
		rec("a1", "asb", 4*time.Hour, vol), rec("a1", "asb", 4*time.Hour, vol),
	})
	if len(rows) != 2 || rows[0].ProblemType != "asb" || rows[1].ProblemType != "speedwatch" {
		t.Fatalf("rows %+v, want asb then speedwatch", rows)
	}
	asb, sw := rows[0], rows[1]
	if asb.Shifts != nil || asb.VolunteerHours == nil || *asb.VolunteerHours != 8 || asb.BankHours != nil || !asb.Suppressed {
		t.Errorf("asb %+v: want shifts and bank hours withheld, 8 volunteer hours", asb)
	}
	if sw.Shifts == nil || *sw.Shifts != 3 || sw.VolunteerHours != nil || sw.BankHours == nil || *sw.BankHours != 3 || !sw.Suppressed {
		t.Errorf("speedwatch %+v: want 3 shifts, 2.97 volunteer hours withheld, 3 bank hours", sw)
	}
}

func TestActivityHoursAreTheAttendedTimesWhenRecorded(t *testing.T) {
	t.Parallel()
	start := time.Date(2027, 1, 5, 18, 0, 0, 0, time.UTC)
	r := domain.ActivityRecord{Start: start, End: start.Add(3 * time.Hour)}
	if r.Hours() != 3 {
		t.Errorf("no times recorded: %v hours, want the shift's 3", r.Hours())
	}
	as, ae := start.Add(30*time.Minute), start.Add(2*time.Hour)
	r.ActualStart, r.ActualEnd = &as, &ae
	if r.Hours() != 1.5 {
		t.Errorf("attended 18:30–20:00: %v hours, want 1.5", r.Hours())
	}
}
