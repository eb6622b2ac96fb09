// Package bench measures copbank from outside: `copbank bench booking`
// books over HTTP against a scratch PostgreSQL database beside pgbench on
// the same server, and prints one table row per client count. It owns the
// pgbench runs, the workload it seeds through the use cases and store, and
// the HTTP client with its percentiles; its scratch databases come from
// db/dbtest, as the tests' do. It does not import web: the composition root
// hands it the server to book through.
// The solver benchmarks (curtois, scale) live with the solver.
package bench
