package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// problemBase prefixes every problem type; the types are documented in the
// OpenAPI document rather than served as pages.
const problemBase = "https://copbank.dev/problems/"

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   []domain.FieldError `json:"errors,omitempty"`
	Rules    []string            `json:"rules,omitempty"`
}

var problemKinds = map[string]struct {
	status int
	slug   string
	title  string
}{
	domain.EInvalid:       {http.StatusUnprocessableEntity, "invalid-input", "Invalid input"},
	domain.ENotFound:      {http.StatusNotFound, "not-found", "Not found"},
	domain.EConflict:      {http.StatusConflict, "conflict", "Conflict"},
	domain.ERefused:       {http.StatusConflict, "booking-refused", "Booking refused"},
	domain.EStageRefused:  {http.StatusConflict, "stage-refused", "Stage refused"},
	domain.EHandoverTaken: {http.StatusConflict, "handover-taken", "Handover taken"},
	domain.EUnauthorized:  {http.StatusUnauthorized, "unauthorized", "Sign-in required"},
	domain.EForbidden:     {http.StatusForbidden, "forbidden", "Not allowed"},
	domain.ETooMany:       {http.StatusTooManyRequests, "rate-limited", "Too many requests"},
	domain.EGone:          {http.StatusGone, "link-not-valid", "Link not valid"},
	domain.EInternal:      {http.StatusInternalServerError, "internal", "Internal error"},
}

// errorHandler is the single place where errors become HTTP responses.
// Browsers on the pages get the same problem as an HTML error page.
func errorHandler(log *slog.Logger, page func(*fiber.Ctx, Problem) error) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := problemFor(err)
		p.Instance = c.OriginalURL()
		if p.Status >= 500 {
			log.Error("request failed", "request_id", requestID(c), "method", c.Method(), "path", loggedPath(c.Path()), "err", err)
		}
		if p.Status == http.StatusTooManyRequests && c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
			c.Set(fiber.HeaderRetryAfter, "900")
		}
		if p.Status == http.StatusServiceUnavailable {
			c.Set(fiber.HeaderRetryAfter, "2")
		}
		if isPage(c) && page != nil {
			perr := page(c, p)
			if perr == nil {
				return nil
			}
			log.Error("error page failed", "request_id", requestID(c), "err", perr)
		}
		return writeProblem(c, p)
	}
}

func writeProblem(c *fiber.Ctx, p Problem) error {
	c.Status(p.Status)
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return c.JSON(p, "application/problem+json")
}

// nothingHere is the answer for an address with no route and for a page the
// caller may not see, the same in both cases so that the one cannot be told
// from the other.
func nothingHere() error {
	return domain.Errorf(domain.ENotFound, "there is nothing at this address")
}

func problemFor(err error) Problem {
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code == http.StatusNotFound {
		err = nothingHere()
	} else if errors.As(err, &fe) {
		return fiberProblem(fe)
	}
	code := domain.ErrorCode(err)
	if code == domain.EInternal && db.Unavailable(err) {
		// A database restart or a cut connection: nothing was wrong with
		// the request, and a retry in a moment will most likely succeed.
		return Problem{Type: problemBase + "unavailable", Title: "Service unavailable", Status: http.StatusServiceUnavailable,
			Detail: "the database could not be reached just now; try again in a moment (a request repeated with the same Idempotency-Key is never applied twice)"}
	}
	kind, ok := problemKinds[code]
	if !ok {
		kind = problemKinds[domain.EInternal]
	}
	p := Problem{Type: problemBase + kind.slug, Title: kind.title, Status: kind.status}
	var de *domain.Error
	if errors.As(err, &de) && code != domain.EInternal {
		p.Detail = de.Message
		p.Errors = de.Fields
		p.Rules = de.Rules
	} else {
		p.Detail = "something went wrong on our side; it has been logged"
	}
	return p
}

func fiberProblem(fe *fiber.Error) Problem {
	slug := strings.ToLower(strings.ReplaceAll(http.StatusText(fe.Code), " ", "-"))
	p := Problem{Type: problemBase + slug, Title: http.StatusText(fe.Code), Status: fe.Code, Detail: fe.Message}
	switch fe.Code {
	case http.StatusMethodNotAllowed:
		p.Detail = "this address does not accept that method"
	case http.StatusRequestEntityTooLarge:
		p.Detail = "the request body is too large"
	}
	if fe.Code >= 500 {
		p.Detail = "something went wrong on our side; it has been logged"
	}
	return p
}
