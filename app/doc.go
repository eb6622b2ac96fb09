// Package app holds copbank's use cases (Login, Book, PostDemand, …) and its
// Config. Handlers in web and the command line call these, so the JSON API,
// the pages and the CLI share one path through the rules.
//
// Messages leave through the Notifier interface; the senders live beside
// their dependency (app/smtpmail for email, app/govuknotify for texts) and
// the composition root hands them to the App. The demo data set is app/demo
// and the booking benchmark app/bench; both use app, never the reverse.
//
// It imports domain, scheduling and db; never web, nor its own subpackages.
package app
