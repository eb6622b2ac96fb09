package db

import (
	"context"
	"encoding/json"
	"time"

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
		Select("status", "progress", "metrics", "proposals", "open_places", "apply_report", "error", "updated_at").Updates(&row).Error)
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
