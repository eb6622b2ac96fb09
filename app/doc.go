// Package app holds copbank's use cases (Login, Book, PostDemand, …) and its
// Config. Handlers in web and the command line call these, so the JSON API,
// the pages and the CLI share one path through the rules.
//
// It imports domain, scheduling and db; never web.
package app
