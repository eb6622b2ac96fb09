package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// The signposting pages anyone may read: where to report, who does what and
// the Community Trigger. Admins edit them; every save is a new version and
// an audit entry, and the built-in text is stored as version 1 the first time
// a page is read, so the history starts with what the public saw first.

// PublicPageInput is an admin's save of a page. BaseVersion, when above 0,
// is the version the admin started from: a save over a later one is refused
// so that nobody overwrites an edit they have not seen.
type PublicPageInput struct {
	Title       string
	Body        string
	BaseVersion int
}

func noSuchPublicPage() error {
	return domain.Errorf(domain.ENotFound, "there is no public page with this name")
}

// PublicPage returns the latest version of a signposting page, for anyone.
// An unknown slug is not found.
func (a *App) PublicPage(ctx context.Context, slug string) (domain.PublicPage, error) {
	if !domain.ValidPublicPageSlug(slug) {
		return domain.PublicPage{}, noSuchPublicPage()
	}
	pg, err := a.store.LatestPublicPage(ctx, slug)
	if domain.ErrorCode(err) != domain.ENotFound {
		return pg, err
	}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		pg, err = a.seedPublicPage(ctx, tx, slug)
		return err
	})
	return pg, err
}

// seedPublicPage returns the page's latest version, storing the built-in
// text as version 1 (and auditing it) when there is none.
func (a *App) seedPublicPage(ctx context.Context, tx *db.Store, slug string) (domain.PublicPage, error) {
	pg, err := tx.LatestPublicPage(ctx, slug)
	if domain.ErrorCode(err) != domain.ENotFound {
		return pg, err
	}
	b := builtInPages[slug]
	pg = domain.PublicPage{Slug: slug, Version: 1, Title: b.title, Body: b.body, CreatedAt: a.Now()}
	stored, err := tx.SeedPublicPage(ctx, pg)
	if err != nil {
		return domain.PublicPage{}, err
	}
	if !stored {
		return tx.LatestPublicPage(ctx, slug)
	}
	return pg, a.audit(ctx, tx, nil, auditEvent{action: "public_page.seed", entity: "public_page", entityID: slug,
		after: pageState(pg)})
}

// SavePublicPage stores a new version of a page. Admins only (forbidden
// otherwise); an unknown slug is not found; a title or body that is empty or
// too long is invalid; a BaseVersion that is no longer the latest, or a save
// that races another, is a conflict.
func (a *App) SavePublicPage(ctx context.Context, p *domain.Principal, slug string, in PublicPageInput) (domain.PublicPage, error) {
	if !p.IsAdmin() {
		return domain.PublicPage{}, forbidden("only an admin may change the public pages")
	}
	if !domain.ValidPublicPageSlug(slug) {
		return domain.PublicPage{}, noSuchPublicPage()
	}
	title := strings.TrimSpace(in.Title)
	body := strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	var fields []domain.FieldError
	if title == "" || utf8.RuneCountInString(title) > domain.PublicPageTitleMax {
		fields = append(fields, domain.FieldError{Field: "title", Message: "is required, at most 120 characters"})
	}
	if body == "" || utf8.RuneCountInString(body) > domain.PublicPageBodyMax {
		fields = append(fields, domain.FieldError{Field: "body", Message: "is required, at most 20000 characters"})
	}
	if in.BaseVersion < 0 {
		fields = append(fields, domain.FieldError{Field: "base_version", Message: "must be a version of this page"})
	}
	if len(fields) > 0 {
		return domain.PublicPage{}, domain.Invalid("the page could not be saved", fields...)
	}
	var out domain.PublicPage
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		latest, err := a.seedPublicPage(ctx, tx, slug)
		if err != nil {
			return err
		}
		if in.BaseVersion > 0 && in.BaseVersion != latest.Version {
			return domain.Errorf(domain.EConflict, "the page has changed since version %d: it is now at version %d; reload it and make your changes again",
				in.BaseVersion, latest.Version)
		}
		out = domain.PublicPage{Slug: slug, Version: latest.Version + 1, Title: title, Body: body, CreatedBy: p.User.ID, CreatedAt: a.Now()}
		if err := tx.AddPublicPageVersion(ctx, out); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return domain.Errorf(domain.EConflict, "someone else saved this page at the same moment; reload it and make your changes again")
			}
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "public_page.update", entity: "public_page", entityID: slug,
			before: pageState(latest), after: pageState(out)})
	})
	return out, err
}

// PublicPageVersions lists a page's versions newest first, those below
// before when it is above 0. Admins only (forbidden otherwise); an unknown
// slug is not found.
func (a *App) PublicPageVersions(ctx context.Context, p *domain.Principal, slug string, before, limit int) ([]domain.PublicPage, error) {
	if !p.IsAdmin() {
		return nil, forbidden("only an admin may read the history of the public pages")
	}
	if _, err := a.PublicPage(ctx, slug); err != nil {
		return nil, err
	}
	return a.store.PublicPageVersions(ctx, slug, before, limit)
}

// pageState is how a page version appears in the audit log: the text is
// kept by the version itself, so the entry names it and its size.
func pageState(pg domain.PublicPage) map[string]any {
	return map[string]any{"slug": pg.Slug, "version": pg.Version, "title": pg.Title, "body_chars": utf8.RuneCountInString(pg.Body)}
}
