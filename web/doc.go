// Package web is copbank's HTTP face: the Fiber route table, request DTOs
// with validator tags, the one error handler that renders RFC 9457
// problem+json, and (later) the server-rendered pages.
//
// Handlers stay thin: decode, validate syntax, call an app use case, render.
package web
