# copbank — see README.md. `make run` and `make test` are all you need.
GO        ?= go
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
# Packages whose tests exercise concurrency run under the race detector; the
# pure solver packages run without it (it slows search tenfold and they share
# no memory between goroutines beyond their documented channels).
RACE_PKGS := $(shell $(GO) list ./... 2>/dev/null | grep -v '/scheduling')
PURE_PKGS := $(shell $(GO) list ./scheduling/... 2>/dev/null)

.PHONY: build run test vet fmt-check check-deps screens clean

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

# domain and scheduling stay pure (../shared/STYLE.md): prove it.
check-deps:
	@bad=$$($(GO) list -deps ./domain/... ./scheduling/... | grep -E 'gorm.io|gofiber|go-playground/validator|copbank/(db|web|app)$$' || true); \
	if [ -n "$$bad" ]; then echo "domain/scheduling import what they must not:"; echo "$$bad"; exit 1; fi

test: fmt-check vet check-deps
	CGO_ENABLED=0 $(GO) build ./...
	$(GO) test -race -count=1 $(RACE_PKGS)
	$(GO) test -count=1 $(PURE_PKGS)

# Screenshots of each browser journey's last page (and of find shifts and
# the fill board) under testdata/screens/, which git ignores.
screens:
	COPBANK_SCREENS=1 $(GO) test -count=1 -run TestJourneys -v ./web/browser/

clean:
	rm -rf bin copbank.db copbank.db-wal copbank.db-shm
