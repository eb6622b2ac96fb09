package app

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

// idempotencyWait bounds how long a retry waits for the first request with
// the same key to finish.
const idempotencyWait = 30 * time.Second

// idempotencyAbandoned is how old an unanswered claim must be before a retry
// may take it over: the process that claimed it died mid-request.
const idempotencyAbandoned = 2 * time.Minute

// IdempotentReplay is what to send for a request whose key was seen before.
type IdempotentReplay struct {
	StatusCode  int
	ContentType string
	Body        []byte
}

// BeginIdempotent claims a key for a request. It returns a replay when the
// key was used before with the same request (waiting for the first to finish
// if it is still running), an invalid error when the key was used for a
// different request, and (nil, nil) when this request should run.
func (a *App) BeginIdempotent(ctx context.Context, r domain.IdempotencyRecord) (*IdempotentReplay, error) {
	r.CreatedAt = a.Now()
	claimed, err := a.store.ClaimIdempotencyKey(ctx, r)
	if err != nil || claimed {
		return nil, err
	}
	deadline := time.Now().Add(idempotencyWait)
	for {
		prev, err := a.store.IdempotencyKey(ctx, r.UserID, r.Key)
		if domain.ErrorCode(err) == domain.ENotFound {
			// The first request failed on our side and released the key: take it.
			if claimed, err := a.store.ClaimIdempotencyKey(ctx, r); err != nil || claimed {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if prev.RequestHash != r.RequestHash || prev.Method != r.Method || prev.Path != r.Path {
			return nil, domain.FieldInvalid("Idempotency-Key", "this key was already used for a different request; use a new key for a new request")
		}
		if prev.StatusCode != 0 {
			return &IdempotentReplay{StatusCode: prev.StatusCode, ContentType: prev.ContentType, Body: prev.Response}, nil
		}
		if a.Now().Sub(prev.CreatedAt) > idempotencyAbandoned {
			if err := a.store.ReleaseIdempotencyKey(ctx, r.UserID, r.Key); err != nil {
				return nil, err
			}
			continue
		}
		if time.Now().After(deadline) {
			return nil, domain.Errorf(domain.EConflict, "a request with this Idempotency-Key is still being answered; retry shortly")
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// FinishIdempotent stores the answer for a claimed key; a server error
// releases the key so that a retry runs again.
func (a *App) FinishIdempotent(ctx context.Context, userID, key string, status int, contentType string, body []byte) error {
	if status >= 500 {
		return a.store.ReleaseIdempotencyKey(ctx, userID, key)
	}
	return a.store.CompleteIdempotencyKey(ctx, userID, key, status, contentType, body)
}
