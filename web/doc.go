// Package web is copbank's HTTP face: the Fiber route table of the JSON API,
// request DTOs with validator tags, the one error handler that renders RFC
// 9457 problem+json (an HTML error page for browsers), and the
// server-rendered pages (pages*.go, templates/, static/) with their cookie
// sessions and CSRF check.
//
// Handlers stay thin: decode, validate syntax, call an app use case, render.
package web
