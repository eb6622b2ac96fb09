package domain

import (
	"slices"
	"time"
)

// PublicPage is one version of a signposting page the public reads without
// signing in. Every save makes a new version; the page shows the highest.
type PublicPage struct {
	Slug      string
	Version   int
	Title     string
	Body      string // plain paragraphs or the safe Markdown subset
	CreatedBy string // the admin's user ID; "" for the built-in text
	CreatedAt time.Time
}

// PublicPageSlugs names the signposting pages, in the order they are listed.
var PublicPageSlugs = []string{"report", "who-does-what", "community-trigger"}

// ValidPublicPageSlug reports a known signposting page.
func ValidPublicPageSlug(slug string) bool { return slices.Contains(PublicPageSlugs, slug) }

// Limits on a signposting page, in characters.
const (
	PublicPageTitleMax = 120
	PublicPageBodyMax  = 20000
)
