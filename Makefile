# copbank — see README.md. `make run` and `make test` are all you need.
GO        ?= go
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
# Packages whose tests exercise concurrency run under the race detector; the
# pure solver packages run without it (it slows search tenfold and they share
# no memory between goroutines beyond their documented channels), and so do
# the browser journeys, which drive pages one click at a time and whose
# concurrency is proven by the API and storage tests beneath them.
RACE_PKGS := $(shell $(GO) list ./... 2>/dev/null | grep -v -e '/scheduling' -e '/web/browser')
PLAIN_PKGS := $(shell $(GO) list ./scheduling/... ./web/browser/... 2>/dev/null)

.PHONY: build run test vet fmt-check check-deps screens clean fuzz loadtest chaos

build:
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o bin/copbank ./app/copbank

run: build
	./bin/copbank migrate
	./bin/copbank seed --demo --if-empty
	./bin/copbank serve

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The layering, arrows only down: main → web → app →
# {scheduling, db} → domain. go list gives every package's imports (and, for
# ours, its tests' imports); the awk program below walks them from each of
# our packages and names the first import on each path that breaks a rule.
check-deps:
	@graph=$$($(GO) list -deps -f '{{.ImportPath}} {{join .Imports " "}}|{{if not .DepOnly}}{{join .TestImports " "}} {{join .XTestImports " "}}{{end}}' ./...) || exit 1; \
	printf '%s\n' "$$graph" | awk "$$CHECK_DEPS_AWK"

# Written without a dollar sign so make passes it through untouched.
define CHECK_DEPS_AWK
function under(p, root) { return p == root || index(p, root "/") == 1 }
function rule(p, q, direct) {
	if ((under(p, "domain") || under(p, "scheduling")) && (under(q, "gorm.io") || under(q, "github.com/gofiber") || under(q, "github.com/go-playground/validator")))
		return "domain and scheduling stay free of storage, HTTP and validation libraries"
	if (under(p, "domain") && (q in ours) && !under(q, "domain"))
		return "domain imports nothing of ours"
	if ((under(p, "db") && under(q, "scheduling")) || (under(p, "scheduling") && under(q, "db")))
		return "db and scheduling never import each other"
	if (under(p, "app") && p != "app/copbank" && under(q, "web"))
		return "app never imports web"
	if (direct && under(q, "web") && !under(p, "web") && p != "app/copbank")
		return "only main (app/copbank) imports web"
	if (direct && q == "app/copbank")
		return "nothing imports app/copbank"
	return ""
}
function short(p) { return index(p, MOD "/") == 1 ? substr(p, length(MOD) + 2) : p }
function shortList(list,    n, a, i, out) {
	n = split(list, a, " ")
	for (i = 1; i <= n; i++) out = out " " short(a[i])
	return out
}
BEGIN {
	MOD = "github.com/copbank/copbank"
	while ((getline line) > 0) {
		split(line, half, "|")
		n = split(half[1], f, " ")
		p = short(f[1])
		prod[p] = shortList(substr(half[1], length(f[1]) + 1))
		if (index(f[1], MOD "/") == 1) { ours[p] = 1; order[++npkgs] = p; tests[p] = shortList(half[2]) }
	}
	for (k = 1; k <= npkgs; k++) {
		p = order[k]
		delete seen; delete via; delete inTests; head = 0; tail = 0
		n = split(prod[p] " " tests[p], a, " ")
		nprod = split(prod[p], b, " ")
		for (i = 1; i <= n; i++) {
			q = a[i]
			if (q == p || (q in seen)) continue
			seen[q] = 1; via[q] = p; inTests[q] = (i > nprod); queue[tail++] = q
		}
		while (head < tail) {
			q = queue[head++]
			why = rule(p, q, via[q] == p)
			if (why != "") {
				path = ""; first = q
				for (x = q; via[x] != p; x = via[x]) { path = via[x] (path == "" ? "" : " -> " path); first = via[x] }
				printf "  %s imports %s%s%s: %s\n", p, q, (path == "" ? "" : " through " path), (inTests[first] ? " (in its tests)" : ""), why
				bad = 1
				continue
			}
			m = split(prod[q], c, " ")
			for (j = 1; j <= m; j++) if (!(c[j] in seen)) { seen[c[j]] = 1; via[c[j]] = q; queue[tail++] = c[j] }
		}
	}
	if (bad) { print "check-deps: the imports above break the layering"; exit 1 }
}
endef
export CHECK_DEPS_AWK

test: fmt-check vet check-deps
	CGO_ENABLED=0 $(GO) build ./...
	$(GO) test -race -count=1 -timeout 30m $(RACE_PKGS)
	$(GO) test -count=1 -timeout 20m $(PLAIN_PKGS)

# Each fuzz target for FUZZTIME, one after another (go test fuzzes one
# target per run). Plain `go test` runs only their seed corpora.
FUZZTIME    ?= 20s
FUZZ_TARGETS := \
	FuzzValidateRRule:./scheduling \
	FuzzSolve:./scheduling/solver \
	FuzzIncremental:./scheduling/solver \
	FuzzImport:./app \
	FuzzDecodeRequest:./web \
	FuzzBookingRules:./domain

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "== $${t%%:*} ($${t#*:}) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t%%:*}\$$" -fuzztime $(FUZZTIME) "$${t#*:}"; \
	done

# Load and chaos runs against `copbank serve` processes on a scratch
# database (copbank_load_<pid>_…, dropped at the end) with the demo loaded;
# not part of `make test`. LOAD_DURATION bounds the rising rates;
# LOAD_FLAGS and CHAOS_FLAGS pass more (see `copbank bench help`).
LOAD_DURATION ?= 90s
LOAD_FLAGS    ?=
CHAOS_FLAGS   ?=

loadtest: build
	./bin/copbank bench load --duration $(LOAD_DURATION) --booking-log bin/loadtest-bookings.tsv --log-dir bin $(LOAD_FLAGS)

chaos: build
	./bin/copbank bench chaos --booking-log bin/chaos-bookings.tsv --log-dir bin $(CHAOS_FLAGS)

# Screenshots of each browser journey's last page (and of find shifts and
# the fill board) under testdata/screens/, which git ignores.
screens:
	COPBANK_SCREENS=1 $(GO) test -count=1 -run TestJourneys -v ./web/browser/

clean:
	rm -rf bin copbank.db copbank.db-wal copbank.db-shm
