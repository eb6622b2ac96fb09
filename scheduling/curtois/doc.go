// Package curtois reads the Curtois & Qu Shift Scheduling Benchmark instances
// (schedulingbenchmarks.org, Instance1–24), maps them onto the solver's
// rostering model, writes rosters in the benchmark's roster format and runs
// the benchmark table behind `copbank bench curtois`.
//
// It may import scheduling/solver and scheduling/curtois/check (the
// independent checker) and nothing else of copbank. Run is a benchmark
// harness: it reads the clock and files; the rest of the package is pure.
package curtois
