package db

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/copbank/copbank/domain"
)

type matchRunRow struct {
	ID          string
	Status      string
	Params      string
	Progress    float64
	Metrics     string
	Proposals   string
	OpenPlaces  string
	ApplyReport string
	Error       string
	CreatedBy   *string
	LeaseOwner  string
	LeaseUntil  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (matchRunRow) TableName() string { return "match_runs" }

func toMatchRunRow(r domain.MatchRun) matchRunRow {
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	report := "{}"
	if r.ApplyReport != nil {
		report = js(r.ApplyReport)
	}
	proposals, open := r.Proposals, r.Open
	if proposals == nil {
		proposals = []domain.MatchProposal{}
	}
	if open == nil {
		open = []domain.MatchOpen{}
	}
	return matchRunRow{ID: r.ID, Status: string(r.Status), Params: js(r.Params), Progress: r.Progress, Metrics: js(r.Metrics),
		Proposals: js(proposals), OpenPlaces: js(open), ApplyReport: report, Error: r.Error, CreatedBy: nullable(r.CreatedBy),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func (r matchRunRow) toDomain() domain.MatchRun {
	out := domain.MatchRun{ID: r.ID, Status: domain.MatchRunStatus(r.Status), Progress: r.Progress, Error: r.Error,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.CreatedBy != nil {
		out.CreatedBy = *r.CreatedBy
	}
	_ = json.Unmarshal([]byte(r.Params), &out.Params)
	_ = json.Unmarshal([]byte(r.Metrics), &out.Metrics)
	_ = json.Unmarshal([]byte(r.Proposals), &out.Proposals)
	_ = json.Unmarshal([]byte(r.OpenPlaces), &out.Open)
	if r.ApplyReport != "" && r.ApplyReport != "{}" {
		var rep domain.MatchApplyReport
		if json.Unmarshal([]byte(r.ApplyReport), &rep) == nil {
			out.ApplyReport = &rep
		}
	}
	return out
}

// CreateMatchRun stores a run: queued, or already running under owner's
// lease (a run the caller executes itself).
func (s *Store) CreateMatchRun(ctx context.Context, r domain.MatchRun, owner string, leaseUntil time.Time) error {
	row := toMatchRunRow(r)
	if owner != "" {
		row.LeaseOwner, row.LeaseUntil = owner, &leaseUntil
	}
	return translate(s.db(ctx).Create(&row).Error)
}

// MatchRunByID finds a run; inside a transaction it is locked on PostgreSQL.
func (s *Store) MatchRunByID(ctx context.Context, id string) (domain.MatchRun, error) {
	var rows []matchRunRow
	q := s.db(ctx).Where("id = ?", id)
	if s.inTx && s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Limit(1).Find(&rows).Error; err != nil {
		return domain.MatchRun{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.MatchRun{}, domain.Errorf(domain.ENotFound, "no such match run")
	}
	return rows[0].toDomain(), nil
}

// SaveMatchRun stores a run's state and results.
func (s *Store) SaveMatchRun(ctx context.Context, r domain.MatchRun) error {
	row := toMatchRunRow(r)
	return translate(s.db(ctx).Model(&matchRunRow{}).Where("id = ?", r.ID).
		Select("status", "params", "progress", "metrics", "proposals", "open_places", "apply_report", "error", "updated_at").Updates(&row).Error)
}

// ClaimMatchRun takes the oldest queued run, or a running one whose lease
// lapsed, for owner until leaseUntil. It returns false when there is none.
// The conditional update makes the claim safe across instances.
func (s *Store) ClaimMatchRun(ctx context.Context, owner string, now, leaseUntil time.Time) (domain.MatchRun, bool, error) {
	var candidates []matchRunRow
	err := s.db(ctx).Where("status = 'queued' OR (status = 'running' AND lease_until < ?)", now.UTC()).
		Order("created_at").Limit(5).Find(&candidates).Error
	if err != nil {
		return domain.MatchRun{}, false, translate(err)
	}
	for _, c := range candidates {
		res := s.db(ctx).Model(&matchRunRow{}).
			Where("id = ? AND (status = 'queued' OR (status = 'running' AND lease_until < ?))", c.ID, now.UTC()).
			Updates(map[string]any{"status": "running", "lease_owner": owner, "lease_until": leaseUntil.UTC(), "updated_at": now.UTC()})
		if res.Error != nil {
			return domain.MatchRun{}, false, translate(res.Error)
		}
		if res.RowsAffected == 1 {
			c.Status = "running"
			return c.toDomain(), true, nil
		}
	}
	return domain.MatchRun{}, false, nil
}

// RenewMatchLease extends a running run's lease and records its progress.
func (s *Store) RenewMatchLease(ctx context.Context, id, owner string, progress float64, now, leaseUntil time.Time) error {
	return translate(s.db(ctx).Model(&matchRunRow{}).Where("id = ? AND lease_owner = ? AND status = 'running'", id, owner).
		Updates(map[string]any{"progress": progress, "lease_until": leaseUntil.UTC(), "updated_at": now.UTC()}).Error)
}

// MatchRuns lists runs newest first, createdBy's only unless it is empty,
// after the run whose "created_at|id" key is after (empty: from the newest),
// up to limit.
func (s *Store) MatchRuns(ctx context.Context, createdBy, after string, limit int) ([]domain.MatchRun, error) {
	q := s.db(ctx).Model(&matchRunRow{})
	if createdBy != "" {
		q = q.Where("created_by = ?", createdBy)
	}
	if after != "" {
		at, id, ok := strings.Cut(after, "|")
		t, err := time.Parse(time.RFC3339Nano, at)
		if !ok || err != nil {
			return nil, domain.FieldInvalid("cursor", "is not a cursor this service gave out")
		}
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", t.UTC(), t.UTC(), id)
	}
	var rows []matchRunRow
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.MatchRun, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// MatchRunKey is the sort key MatchRuns pages by.
func MatchRunKey(r domain.MatchRun) string {
	return r.CreatedAt.UTC().Format(time.RFC3339Nano) + "|" + r.ID
}

type matchSettingsRow struct {
	ID        int
	Weights   string
	UpdatedBy *string
	UpdatedAt time.Time
}

func (matchSettingsRow) TableName() string { return "match_settings" }

// MatchSettings returns the force's run defaults (every weight 1 until an
// admin sets them).
func (s *Store) MatchSettings(ctx context.Context) (domain.MatchSettings, error) {
	var rows []matchSettingsRow
	if err := s.db(ctx).Where("id = 1").Limit(1).Find(&rows).Error; err != nil {
		return domain.MatchSettings{}, translate(err)
	}
	out := domain.MatchSettings{}
	if len(rows) == 1 {
		_ = json.Unmarshal([]byte(rows[0].Weights), &out.Weights)
		if rows[0].UpdatedBy != nil {
			out.UpdatedBy = *rows[0].UpdatedBy
		}
		out.UpdatedAt = rows[0].UpdatedAt
	}
	out.Weights = domain.FullMatchWeights(out.Weights)
	return out, nil
}

// PutMatchSettings replaces the force's run defaults.
func (s *Store) PutMatchSettings(ctx context.Context, m domain.MatchSettings) error {
	b, err := json.Marshal(domain.FullMatchWeights(m.Weights))
	if err != nil {
		return err
	}
	row := matchSettingsRow{ID: 1, Weights: string(b), UpdatedBy: nullable(m.UpdatedBy), UpdatedAt: m.UpdatedAt.UTC()}
	return translate(s.db(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"weights", "updated_by", "updated_at"})}).Create(&row).Error)
}
