# ormc's tasks. `make demo` runs the seed's walkthrough on SQLite; `make test`
# runs every test. Set ORMC_TEST_POSTGRES and ORMC_TEST_MYSQL to include
# those databases (see DEVELOPERS.md).

GO ?= go
FUZZTIME ?= 60s

.PHONY: demo test generate check-generated fuzz install

demo:
	cd examples && $(GO) run ./notes

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	cd examples && $(GO) vet ./... && $(GO) test -count=1 ./...
	@echo
	@echo "dialects: sqlite ran;" \
		"postgres $(if $(ORMC_TEST_POSTGRES),ran,SKIPPED (ORMC_TEST_POSTGRES not set));" \
		"mysql $(if $(ORMC_TEST_MYSQL),ran,SKIPPED (ORMC_TEST_MYSQL not set))"

# generate rebuilds every committed generated file from its schema.
generate:
	$(GO) run ./cmd/ormc build -o examples/notes/db examples/notes.orm
	$(GO) run ./cmd/ormc build -o examples/music/db examples/music.orm
	$(GO) run ./cmd/ormc build -o examples/types/db examples/types.orm

# check-generated fails when the committed generated code is stale.
check-generated: generate
	git diff --exit-code -- examples

fuzz:
	$(GO) test ./schema -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)

install:
	$(GO) install ./cmd/ormc
