package web

import (
	"encoding/base64"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/copbank/copbank/domain"
)

const (
	defaultPageSize = 50
	maxPageSize     = 200
)

// page is the shape of every list answer.
type page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageQuery reads ?limit= and ?cursor=; the cursor is opaque to callers and
// holds the sort key of the last item seen.
func pageQuery(c *fiber.Ctx) (after string, limit int, err error) {
	limit = defaultPageSize
	if v := c.Query("limit"); v != "" {
		limit, err = strconv.Atoi(v)
		if err != nil || limit < 1 || limit > maxPageSize {
			return "", 0, domain.FieldInvalid("limit", "must be a whole number from 1 to 200")
		}
	}
	if v := c.Query("cursor"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil {
			return "", 0, domain.FieldInvalid("cursor", "is not a cursor this service gave out")
		}
		after = string(b)
	}
	return after, limit, nil
}

// cursorValue decodes ?cursor= (already checked by pageQuery).
func cursorValue(c *fiber.Ctx) string {
	b, _ := base64.RawURLEncoding.DecodeString(c.Query("cursor"))
	return string(b)
}

func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

// newPage builds a page from up to limit+1 fetched items: the extra one says
// there is more, and key gives the cursor of the last item kept.
func newPage[T any, S any](items []S, limit int, key func(S) string, render func(S) T) page[T] {
	p := page[T]{Items: make([]T, 0, min(len(items), limit))}
	for i, it := range items {
		if i == limit {
			next := base64.RawURLEncoding.EncodeToString([]byte(key(items[limit-1])))
			p.NextCursor = &next
			break
		}
		p.Items = append(p.Items, render(it))
	}
	return p
}
