// Package web is copbank's HTTP face: the route table of the JSON API and
// the pages (routes.go, one row per route, from which /api/openapi.json is
// generated), request DTOs with validator tags, the one error handler that
// renders RFC 9457 problem+json (an HTML error page for browsers), and the
// server-rendered pages (pages*.go, templates/, static/) with their cookie
// sessions and CSRF check.
//
// To add routes, write a function <group>Routes returning []route in its
// own file routes_<group>.go, each row giving its access and, for the API,
// its summary, bodies, query parameters and answers, and add one line
// calling it to routeTable in routes.go. The OpenAPI document is generated
// from those rows, and the tests check them against the handlers' code,
// Fiber's registered routes and kin-openapi's validator.
//
// Handlers stay thin: decode, validate syntax, call an app use case, render.
package web
