package app

import "context"

// Ping reports whether the database answers.
func (a *App) Ping(ctx context.Context) error { return a.store.Ping(ctx) }

// SchemaVersion is the migration version the database is at and the one this
// binary was built for: current below target means migrations are owed and
// the instance should not take work yet.
func (a *App) SchemaVersion(ctx context.Context) (current, target int64, err error) {
	return a.store.SchemaVersion(ctx)
}
