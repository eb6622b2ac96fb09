package db

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/copbank/copbank/domain"
)

type emergencyContactRow struct {
	MemberID  string `gorm:"primaryKey"`
	Name      string
	Phone     string
	UpdatedAt time.Time
}

func (emergencyContactRow) TableName() string { return "emergency_contacts" }

// PutEmergencyContact records the member's one emergency contact, replacing
// any other.
func (s *Store) PutEmergencyContact(ctx context.Context, memberID string, c domain.EmergencyContact, now time.Time) error {
	row := emergencyContactRow{MemberID: memberID, Name: c.Name, Phone: c.Phone, UpdatedAt: now.UTC()}
	return translate(s.db(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error)
}

// DeleteEmergencyContact forgets the member's emergency contact.
func (s *Store) DeleteEmergencyContact(ctx context.Context, memberID string) error {
	return translate(s.db(ctx).Where("member_id = ?", memberID).Delete(&emergencyContactRow{}).Error)
}

// EmergencyContact returns the member's emergency contact; ok is false when
// they have recorded none.
func (s *Store) EmergencyContact(ctx context.Context, memberID string) (c domain.EmergencyContact, ok bool, err error) {
	var rows []emergencyContactRow
	if err := s.db(ctx).Where("member_id = ?", memberID).Find(&rows).Error; err != nil {
		return c, false, translate(err)
	}
	if len(rows) == 0 {
		return c, false, nil
	}
	return domain.EmergencyContact{Name: rows[0].Name, Phone: rows[0].Phone}, true, nil
}

type dutyRecordRow struct {
	BookingID  string `gorm:"primaryKey"`
	OnDutyAt   *time.Time
	OnLat      *float64
	OnLon      *float64
	OffDutyAt  *time.Time
	OffLat     *float64
	OffLon     *float64
	RemindedAt *time.Time
}

func (dutyRecordRow) TableName() string { return "duty_records" }

// DutyRecord returns the booking's duty record; ok is false when nothing
// has been recorded.
func (s *Store) DutyRecord(ctx context.Context, bookingID string) (domain.DutyRecord, bool, error) {
	var rows []dutyRecordRow
	if err := s.db(ctx).Where("booking_id = ?", bookingID).Find(&rows).Error; err != nil {
		return domain.DutyRecord{}, false, translate(err)
	}
	if len(rows) == 0 {
		return domain.DutyRecord{BookingID: bookingID}, false, nil
	}
	r := rows[0]
	return domain.DutyRecord{BookingID: r.BookingID, OnDutyAt: r.OnDutyAt, OnLat: r.OnLat, OnLon: r.OnLon,
		OffDutyAt: r.OffDutyAt, OffLat: r.OffLat, OffLon: r.OffLon, RemindedAt: r.RemindedAt}, true, nil
}

// SaveDutyRecord stores the booking's on and off duty (not the reminder,
// which only MarkWelfareReminded sets).
func (s *Store) SaveDutyRecord(ctx context.Context, d domain.DutyRecord) error {
	row := dutyRecordRow{BookingID: d.BookingID, OnDutyAt: utcPtr(d.OnDutyAt), OnLat: d.OnLat, OnLon: d.OnLon,
		OffDutyAt: utcPtr(d.OffDutyAt), OffLat: d.OffLat, OffLon: d.OffLon}
	return translate(s.db(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "booking_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"on_duty_at", "on_lat", "on_lon", "off_duty_at", "off_lat", "off_lon"}),
	}).Create(&row).Error)
}

// MarkWelfareReminded records that the booking's late off-duty reminder went.
func (s *Store) MarkWelfareReminded(ctx context.Context, bookingID string, now time.Time) error {
	at := now.UTC()
	row := dutyRecordRow{BookingID: bookingID, RemindedAt: &at}
	return translate(s.db(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "booking_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"reminded_at"}),
	}).Create(&row).Error)
}

// WelfareDue is a booking on a lone-working shift whose off duty is late
// and whose follow-up is not finished: not yet reminded, or its alert not
// yet raised or not yet told to everyone.
type WelfareDue struct {
	BookingID string
	MemberID  string
	ShiftID   string
	AreaID    string
	End       time.Time
	Reminded  bool
	AlertID   *string // the alert already raised, if any
	AlertTold bool    // the alert has been told to everyone
}

// DueWelfareChecks returns the confirmed or attended bookings on
// lone-working shifts that ended after since and no later than endedBy,
// whose off duty is not recorded and whose follow-up is unfinished; soonest
// end first.
func (s *Store) DueWelfareChecks(ctx context.Context, since, endedBy time.Time) ([]WelfareDue, error) {
	var rows []struct {
		BookingID  string
		MemberID   string
		ShiftID    string
		AreaID     string
		EndsAt     time.Time
		RemindedAt *time.Time
		AlertID    *string
		NotifiedAt *time.Time
	}
	err := s.db(ctx).Raw(`
SELECT b.id AS booking_id, b.member_id, b.shift_id, d.area_id, b.ends_at, dr.reminded_at,
       wa.id AS alert_id, wa.notified_at
FROM bookings b
JOIN shifts sh ON sh.id = b.shift_id
JOIN demands d ON d.id = sh.demand_id
LEFT JOIN duty_records dr ON dr.booking_id = b.id
LEFT JOIN welfare_alerts wa ON wa.booking_id = b.id
WHERE d.lone_working AND b.status IN ('confirmed', 'attended')
  AND b.ends_at > ? AND b.ends_at <= ?
  AND (dr.off_duty_at IS NULL)
  AND (dr.reminded_at IS NULL OR wa.id IS NULL OR wa.notified_at IS NULL)
ORDER BY b.ends_at, b.id`, since.UTC(), endedBy.UTC()).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]WelfareDue, len(rows))
	for i, r := range rows {
		out[i] = WelfareDue{BookingID: r.BookingID, MemberID: r.MemberID, ShiftID: r.ShiftID, AreaID: r.AreaID,
			End: r.EndsAt.UTC(), Reminded: r.RemindedAt != nil, AlertID: r.AlertID, AlertTold: r.NotifiedAt != nil}
	}
	return out, nil
}

type welfareAlertRow struct {
	ID            string `gorm:"primaryKey"`
	BookingID     string
	MemberID      string
	ShiftID       string
	AreaID        string
	PlannedEnd    time.Time
	RaisedAt      time.Time
	NotifiedAt    *time.Time
	ContactStatus string
	ClosedAt      *time.Time
	ClosedBy      *string
	CloseNote     string
}

func (welfareAlertRow) TableName() string { return "welfare_alerts" }

func (r welfareAlertRow) toDomain() domain.WelfareAlert {
	w := domain.WelfareAlert{ID: r.ID, BookingID: r.BookingID, MemberID: r.MemberID, ShiftID: r.ShiftID, AreaID: r.AreaID,
		PlannedEnd: r.PlannedEnd.UTC(), RaisedAt: r.RaisedAt.UTC(), NotifiedAt: r.NotifiedAt, ContactStatus: r.ContactStatus,
		ClosedAt: r.ClosedAt, CloseNote: r.CloseNote}
	if r.ClosedBy != nil {
		w.ClosedBy = *r.ClosedBy
	}
	return w
}

// RaiseWelfareAlert stores w unless the booking has an alert already: the
// unique index on the booking is the claim, so of several instances only
// one raises it. It reports whether this call did.
func (s *Store) RaiseWelfareAlert(ctx context.Context, w domain.WelfareAlert) (bool, error) {
	row := welfareAlertRow{ID: w.ID, BookingID: w.BookingID, MemberID: w.MemberID, ShiftID: w.ShiftID, AreaID: w.AreaID,
		PlannedEnd: w.PlannedEnd.UTC(), RaisedAt: w.RaisedAt.UTC()}
	res := s.db(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// MarkWelfareNotified records that everyone was told of the alert, and what
// became of telling the emergency contact.
func (s *Store) MarkWelfareNotified(ctx context.Context, id string, now time.Time, contactStatus string) error {
	return translate(s.db(ctx).Model(&welfareAlertRow{}).Where("id = ? AND notified_at IS NULL", id).
		Updates(map[string]any{"notified_at": now.UTC(), "contact_status": contactStatus}).Error)
}

// WelfareAlertByID finds an alert; inside a transaction on PostgreSQL it is
// locked.
func (s *Store) WelfareAlertByID(ctx context.Context, id string) (domain.WelfareAlert, error) {
	var row welfareAlertRow
	q := s.db(ctx).Where("id = ?", id)
	if s.inTx && s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Take(&row).Error; err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENotFound {
			return domain.WelfareAlert{}, domain.Errorf(domain.ENotFound, "no such welfare alert")
		}
		return domain.WelfareAlert{}, translate(err)
	}
	return row.toDomain(), nil
}

// CloseWelfareAlert closes an open alert; it reports false when it was
// closed already.
func (s *Store) CloseWelfareAlert(ctx context.Context, id, by, note string, now time.Time) (bool, error) {
	res := s.db(ctx).Model(&welfareAlertRow{}).Where("id = ? AND closed_at IS NULL", id).
		Updates(map[string]any{"closed_at": now.UTC(), "closed_by": nullable(by), "close_note": note})
	return res.RowsAffected == 1, translate(res.Error)
}

// HasOpenWelfareAlert reports an open alert for the member in an area at
// or below one of scopes (area paths); nil scopes means anywhere.
func (s *Store) HasOpenWelfareAlert(ctx context.Context, memberID string, scopes []string) (bool, error) {
	q := s.db(ctx).Table("welfare_alerts wa").Joins("JOIN areas ar ON ar.id = wa.area_id").
		Where("wa.member_id = ? AND wa.closed_at IS NULL", memberID)
	q = withinScopes(q, scopes)
	var n int64
	err := q.Count(&n).Error
	return n > 0, translate(err)
}

// WelfareAlerts lists alerts in areas at or below one of scopes (area
// paths; nil means everywhere): open ones first, then by when they were
// raised, oldest first (ids sort by creation). after is the sort key of
// the last one seen (WelfareAlertKey).
func (s *Store) WelfareAlerts(ctx context.Context, scopes []string, openOnly bool, after string, limit int) ([]domain.WelfareAlert, error) {
	key := "(CASE WHEN wa.closed_at IS NULL THEN '0' ELSE '1' END || '|' || wa.id)"
	q := s.db(ctx).Table("welfare_alerts wa").Select("wa.*").Joins("JOIN areas ar ON ar.id = wa.area_id")
	q = withinScopes(q, scopes)
	if openOnly {
		q = q.Where("wa.closed_at IS NULL")
	}
	if after != "" {
		q = q.Where(key+" > ?", after)
	}
	var rows []welfareAlertRow
	if err := q.Order(key).Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.WelfareAlert, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// WelfareAlertKey is an alert's sort key in WelfareAlerts.
func WelfareAlertKey(w domain.WelfareAlert) string {
	if w.Open() {
		return "0|" + w.ID
	}
	return "1|" + w.ID
}

// MemberWelfareAlerts lists every alert raised for the member (their
// subject-access export).
func (s *Store) MemberWelfareAlerts(ctx context.Context, memberID string) ([]domain.WelfareAlert, error) {
	var rows []welfareAlertRow
	if err := s.db(ctx).Where("member_id = ?", memberID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.WelfareAlert, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

func withinScopes(q *gorm.DB, scopes []string) *gorm.DB {
	if scopes == nil {
		return q
	}
	if len(scopes) == 0 {
		return q.Where("1 = 0")
	}
	conds := make([]string, len(scopes))
	args := make([]any, 0, 2*len(scopes))
	for i, p := range scopes {
		conds[i] = "substr(ar.path, 1, ?) = ?"
		args = append(args, len(p), p)
	}
	return q.Where("("+strings.Join(conds, " OR ")+")", args...)
}

// WelfareAlertOfBooking returns the booking's alert.
func (s *Store) WelfareAlertOfBooking(ctx context.Context, bookingID string) (domain.WelfareAlert, error) {
	var row welfareAlertRow
	if err := s.db(ctx).Where("booking_id = ?", bookingID).Take(&row).Error; err != nil {
		return domain.WelfareAlert{}, translate(err)
	}
	return row.toDomain(), nil
}
