package web

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

// idempotent makes a mutating request with an Idempotency-Key answer once:
// the same key and body get the first answer again (even when sent together),
// the same key with another body is refused.
func (s *Server) idempotent(c *fiber.Ctx) error {
	key := c.Get("Idempotency-Key")
	p := principal(c)
	if key == "" || p == nil {
		return c.Next()
	}
	if len(key) > 255 {
		return domain.FieldInvalid("Idempotency-Key", "must be at most 255 characters")
	}
	sum := sha256.Sum256(c.Body())
	rec := domain.IdempotencyRecord{UserID: p.User.ID, Key: key, Method: c.Method(), Path: c.Path(), RequestHash: hex.EncodeToString(sum[:])}
	replay, err := s.app.BeginIdempotent(c.UserContext(), rec)
	if err != nil {
		return err
	}
	if replay != nil {
		c.Set("Idempotent-Replayed", "true")
		c.Set(fiber.HeaderContentType, replay.ContentType)
		return c.Status(replay.StatusCode).Send(replay.Body)
	}
	if err := c.Next(); err != nil {
		// Render the error now so that its answer is what we remember.
		if herr := s.fiber.Config().ErrorHandler(c, err); herr != nil {
			return herr
		}
	}
	resp := c.Response()
	body := append([]byte(nil), resp.Body()...)
	if err := s.app.FinishIdempotent(c.UserContext(), p.User.ID, key, resp.StatusCode(), string(resp.Header.ContentType()), body); err != nil {
		s.log.Error("store idempotent answer", "request_id", requestID(c), "err", err)
	}
	return nil
}
