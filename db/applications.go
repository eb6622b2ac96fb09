package db

import (
	"context"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

type applicationRow struct {
	ID                string
	OpportunityID     string
	Name              string
	Email             string
	Phone             string
	Postcode          string
	Motivation        string
	LivedExperience   string
	Stage             string
	StageAt           time.Time
	MemberID          *string
	TokenHash         *string
	WithdrawExpiresAt *time.Time
	WithdrawUsedAt    *time.Time
	ErasedAt          *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (applicationRow) TableName() string { return "applications" }

func (r applicationRow) toDomain() domain.Application {
	a := domain.Application{ID: r.ID, OpportunityID: r.OpportunityID, Name: r.Name, Email: r.Email, Phone: r.Phone,
		Postcode: r.Postcode, Motivation: r.Motivation, LivedExperience: splitCodes(r.LivedExperience),
		Stage: domain.Stage(r.Stage), StageAt: r.StageAt.UTC(), WithdrawUsedAt: r.WithdrawUsedAt, ErasedAt: r.ErasedAt,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.MemberID != nil {
		a.MemberID = *r.MemberID
	}
	if r.TokenHash != nil {
		a.WithdrawHash = *r.TokenHash
	}
	if r.WithdrawExpiresAt != nil {
		a.WithdrawExpiresAt = r.WithdrawExpiresAt.UTC()
	}
	return a
}

// CreateApplication stores an application (the hash of its withdraw link,
// never the secret).
func (s *Store) CreateApplication(ctx context.Context, a domain.Application) error {
	exp := a.WithdrawExpiresAt.UTC()
	row := applicationRow{ID: a.ID, OpportunityID: a.OpportunityID, Name: a.Name, Email: a.Email, Phone: a.Phone,
		Postcode: a.Postcode, Motivation: a.Motivation, LivedExperience: joinCodes(a.LivedExperience), Stage: string(a.Stage),
		StageAt: a.StageAt.UTC(), MemberID: nullable(a.MemberID), TokenHash: nullable(a.WithdrawHash), WithdrawExpiresAt: &exp,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

func (s *Store) applicationWhere(ctx context.Context, cond string, arg any) (domain.Application, error) {
	q := s.db(ctx)
	if s.dialect == Postgres && s.inTx {
		q = q.Clauses(lockForUpdate)
	}
	var rows []applicationRow
	if err := q.Where(cond, arg).Limit(1).Find(&rows).Error; err != nil {
		return domain.Application{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Application{}, domain.Errorf(domain.ENotFound, "no such application")
	}
	return rows[0].toDomain(), nil
}

// ApplicationByID finds an application; inside a transaction on PostgreSQL
// the row is locked until it ends, so that stage moves queue.
func (s *Store) ApplicationByID(ctx context.Context, id string) (domain.Application, error) {
	return s.applicationWhere(ctx, "id = ?", id)
}

// ApplicationByWithdrawHash finds the application whose withdraw link has
// this hash, locked like ApplicationByID.
func (s *Store) ApplicationByWithdrawHash(ctx context.Context, hash string) (domain.Application, error) {
	return s.applicationWhere(ctx, "token_hash = ?", hash)
}

// MoveApplicationStage moves an application from one stage to another. An
// application no longer at `from` (moved by a concurrent request) is
// EStageRefused, naming the stage it is at now.
func (s *Store) MoveApplicationStage(ctx context.Context, id string, from, to domain.Stage, at time.Time) error {
	res := s.db(ctx).Model(&applicationRow{}).Where("id = ? AND stage = ? AND erased_at IS NULL", id, string(from)).
		Updates(map[string]any{"stage": string(to), "stage_at": at.UTC(), "updated_at": at.UTC()})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return &domain.Error{Code: domain.EStageRefused, Message: "the application moved on meanwhile; read it again",
			Fields: []domain.FieldError{{Field: "stage", Message: "the application is no longer at " + string(from)}}}
	}
	return nil
}

// SetApplicationMember records the member an application made or joined.
func (s *Store) SetApplicationMember(ctx context.Context, id, memberID string) error {
	return translate(s.db(ctx).Model(&applicationRow{}).Where("id = ?", id).Update("member_id", memberID).Error)
}

// SpendWithdrawLink marks an application's withdraw link used; a link spent
// already (by a concurrent request) is a conflict.
func (s *Store) SpendWithdrawLink(ctx context.Context, id string, at time.Time) error {
	res := s.db(ctx).Model(&applicationRow{}).Where("id = ? AND withdraw_used_at IS NULL", id).Update("withdraw_used_at", at.UTC())
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.EConflict, "the link was used already")
	}
	return nil
}

type stageMoveRow struct {
	ID            string
	ApplicationID string
	FromStage     string
	ToStage       string
	ByUserID      *string
	ByLabel       string
	Note          string
	At            time.Time
}

func (stageMoveRow) TableName() string { return "application_stages" }

// AddStageMove records one step of an application's history.
func (s *Store) AddStageMove(ctx context.Context, m domain.StageMove) error {
	row := stageMoveRow{ID: m.ID, ApplicationID: m.ApplicationID, FromStage: string(m.From), ToStage: string(m.To),
		ByUserID: nullable(m.ByUserID), ByLabel: m.ByLabel, Note: m.Note, At: m.At.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

// StageMoves lists an application's history, oldest first.
func (s *Store) StageMoves(ctx context.Context, applicationID string) ([]domain.StageMove, error) {
	var rows []stageMoveRow
	if err := s.db(ctx).Where("application_id = ?", applicationID).Order("at, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.StageMove, len(rows))
	for i, r := range rows {
		out[i] = domain.StageMove{ID: r.ID, ApplicationID: r.ApplicationID, From: domain.Stage(r.FromStage), To: domain.Stage(r.ToStage),
			ByLabel: r.ByLabel, Note: r.Note, At: r.At.UTC()}
		if r.ByUserID != nil {
			out[i].ByUserID = *r.ByUserID
		}
	}
	return out, nil
}

// Applications lists applications in ID (creation) order after f.After, at
// most f.Limit, narrowed by f.
func (s *Store) Applications(ctx context.Context, f domain.ApplicationFilter) ([]domain.Application, error) {
	if f.ScopePaths != nil && len(f.ScopePaths) == 0 {
		return nil, nil
	}
	var (
		conds []string
		args  []any
	)
	if len(f.ScopePaths) > 0 {
		ors := make([]string, len(f.ScopePaths))
		for i, p := range f.ScopePaths {
			ors[i] = "ar.path LIKE ? ESCAPE '\\'"
			args = append(args, likePrefix(p))
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	if f.Stage != "" {
		conds = append(conds, "ap.stage = ?")
		args = append(args, string(f.Stage))
	}
	if f.OpportunityID != "" {
		conds = append(conds, "ap.opportunity_id = ?")
		args = append(args, f.OpportunityID)
	}
	if f.After != "" {
		conds = append(conds, "ap.id > ?")
		args = append(args, f.After)
	}
	q := `SELECT ap.* FROM applications ap JOIN opportunities o ON o.id = ap.opportunity_id JOIN areas ar ON ar.id = o.area_id`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q += " ORDER BY ap.id LIMIT ?"
	args = append(args, limit)
	var rows []applicationRow
	if err := s.db(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Application, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// AnonymiseApplication replaces an application's personal columns and its
// history's notes, spends its withdraw link and marks it erased.
func (s *Store) AnonymiseApplication(ctx context.Context, id, name, email string, at time.Time) error {
	err := s.db(ctx).Exec(`UPDATE applications SET name = ?, email = ?, phone = '', postcode = '', motivation = '',
		lived_experience = '', withdraw_used_at = COALESCE(withdraw_used_at, ?), erased_at = ?, updated_at = ? WHERE id = ?`,
		name, email, at.UTC(), at.UTC(), at.UTC(), id).Error
	if err != nil {
		return translate(err)
	}
	return translate(s.db(ctx).Exec(`UPDATE application_stages SET note = '' WHERE application_id = ?`, id).Error)
}

// ApplicationsOf lists the IDs of the applications not yet erased that a
// member made or that carry their email, in any case.
func (s *Store) ApplicationsOf(ctx context.Context, memberID, email string) ([]string, error) {
	var ids []string
	err := s.db(ctx).Raw(`SELECT id FROM applications WHERE erased_at IS NULL AND (member_id = ? OR lower(email) = lower(?)) ORDER BY id`,
		memberID, strings.TrimSpace(email)).Scan(&ids).Error
	return ids, translate(err)
}

// EndedApplications lists, oldest first, the applications not yet erased
// that ended (active, rejected or withdrawn) before `before`.
func (s *Store) EndedApplications(ctx context.Context, before time.Time) ([]string, error) {
	var ids []string
	err := s.db(ctx).Raw(`SELECT id FROM applications WHERE erased_at IS NULL AND stage IN ('active', 'rejected', 'withdrawn')
		AND stage_at < ? ORDER BY stage_at, id`, before.UTC()).Scan(&ids).Error
	return ids, translate(err)
}

// BlankApplicationAuditAddresses blanks the network addresses recorded with
// the applicant's own requests about an application (those made by no
// signed-in user).
func (s *Store) BlankApplicationAuditAddresses(ctx context.Context, applicationID string) error {
	return translate(s.db(ctx).Exec(`UPDATE audit_log SET address = '' WHERE entity = 'application' AND entity_id = ?
		AND actor_user_id IS NULL AND address <> ''`, applicationID).Error)
}
