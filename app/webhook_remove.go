package app

import (
	"context"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// RemoveWebhook stops sending to an endpoint (admins only): it goes with
// its deliveries and log, and deliveries still queued for it are dropped
// when their turn comes.
func (a *App) RemoveWebhook(ctx context.Context, p *domain.Principal, id string) error {
	if !p.IsAdmin() {
		return forbidden("only an admin may remove a webhook")
	}
	return a.store.InTx(ctx, func(tx *db.Store) error {
		w, err := tx.WebhookByID(ctx, id)
		if domain.ErrorCode(err) == domain.ENotFound {
			return notFound("webhook")
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteWebhook(ctx, w.ID); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "webhook.delete", entity: "webhook", entityID: w.ID,
			before: map[string]any{"url": w.URL, "events": w.Events}})
	})
}
