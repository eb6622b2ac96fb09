// Package loadtest drives copbank from outside, as its users would, and
// then checks the database: `copbank bench load` raises a realistic mix of
// requests until p99 passes a limit, and `copbank bench chaos` keeps a load
// on while PostgreSQL restarts, a server is stopped, another is killed
// mid-request and connections are cut. The servers are `copbank serve`
// processes of their own, started from the same binary on a scratch
// database with the demo loaded; their mail goes to an SMTP sink here, so
// the check can ask of every confirmed booking whether its email went.
package loadtest
