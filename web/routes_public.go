package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// publicRoutes: the signposting pages and what is being done in each area,
// readable by anyone (edited by admins), as JSON and as pages.
func (s *Server) publicRoutes() []route {
	return []route{
		{method: fiber.MethodGet, path: "/api/v1/public/pages/:slug", handler: s.getPublicPage, access: public,
			summary: "A signposting page (report, who-does-what, community-trigger): its latest version, as written and as HTML",
			tag:     "public", response: publicPageJSON{},
			about: "Public and cacheable. The HTML is rendered from a safe Markdown subset: no HTML the author typed passes through."},
		{method: fiber.MethodPut, path: "/api/v1/public/pages/:slug", handler: s.putPublicPage,
			summary: "Save a new version of a signposting page (admins)", tag: "public",
			request: publicPageRequest{}, response: publicPageJSON{}, problems: []int{http.StatusConflict},
			about: "Every save is a new version and an audit entry. 409 when base_version is no longer the latest."},
		{method: fiber.MethodGet, path: "/api/v1/public/pages/:slug/versions", handler: s.listPublicPageVersions,
			summary: "Every version of a signposting page, newest first (admins)", tag: "public",
			response: page[publicPageVersionJSON]{}, query: pageParams},
		{method: fiber.MethodGet, path: "/api/v1/public/areas/:code/activity", handler: s.getAreaActivity, access: public,
			summary: "What is being done in an area and everywhere below it, this month and last",
			tag:     "public", response: areaActivityJSON{},
			about: "Public and cacheable. Counts of shifts that have taken place (not cancelled, ended, at least one attended booking) and attended volunteer and bank hours, by problem type; any figure below 3 is null and its row has suppressed: true. No names, dates or times."},

		{method: fiber.MethodGet, path: "/help/:slug", handler: s.publicSignpostPage, access: publicPage},
		{method: fiber.MethodGet, path: "/neighbourhoods", handler: s.publicAreasPage, access: publicPage},
		{method: fiber.MethodGet, path: "/neighbourhoods/:code", handler: s.publicAreaPage, access: publicPage},
		{method: fiber.MethodGet, path: "/admin/public-pages", handler: s.adminOnly(s.adminPublicPagesPage), access: signedInPage},
		{method: fiber.MethodGet, path: "/admin/public-pages/:slug", handler: s.adminOnly(s.adminPublicPageEditor), access: signedInPage},
		{method: fiber.MethodPost, path: "/admin/public-pages/:slug", handler: s.adminOnly(s.postPublicPage), access: signedInPage},
	}
}
