# ormc's tasks. `make demo` runs the seed's walkthrough on SQLite; `make test`
# runs every test. Set ORMC_TEST_POSTGRES and ORMC_TEST_MYSQL to include
# those databases (see DEVELOPERS.md), and ORMC_TEST_TIDB and
# ORMC_TEST_VITESS for the distributed engines scripts/engines.sh starts
# (see docs/scaling.md).

GO ?= go
FUZZTIME ?= 60s
# FUZZSHORT is the real fuzzing make test does for the front end, a few
# seconds each (make fuzz is the long run). It is a count of inputs, not a
# duration: Go 1.26's fuzzing coordinator can fail a run that found
# nothing with "context deadline exceeded" as a duration ends (fixed in Go
# 1.27, golang/go#75804), and a count sets no deadline.
FUZZSHORT ?= 5000x

.PHONY: demo test test-engines test-engines-all engines-set generate check-generated fuzz install

demo:
	cd examples && $(GO) run ./notes

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	$(GO) test ./schema -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZSHORT)
	$(GO) test ./compiler -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZSHORT)
	cd examples && $(GO) vet ./... && $(GO) test -count=1 ./...
	@echo
	@echo "dialects: sqlite ran;" \
		"postgres $(if $(ORMC_TEST_POSTGRES),ran,SKIPPED (ORMC_TEST_POSTGRES not set));" \
		"mysql $(if $(ORMC_TEST_MYSQL),ran,SKIPPED (ORMC_TEST_MYSQL not set));" \
		"tidb $(if $(ORMC_TEST_TIDB),ran,SKIPPED (ORMC_TEST_TIDB not set));" \
		"vitess $(if $(ORMC_TEST_VITESS),ran,SKIPPED (ORMC_TEST_VITESS not set))"

# test-engines runs issue 18's suites on the distributed engines alone
# (docs/scaling.md): TiDB and Vitess, which scripts/engines.sh builds and
# starts, with ORMC_TEST_TIDB and ORMC_TEST_VITESS set. It fails when
# either is not set (ORMC_TEST_ONLY names both, and CI=true requires what
# it names). The suites: every example (conformance, writes, constraints,
# migrations of a client), the runtime's reliability tests (concurrency,
# contention and retries, cancellation, limits of one statement), its
# locks and transactions, the sharded keyspace's test, the migration
# applier and the inspector, and the migration scenarios on TiDB. The
# conformance, writes, constraint, concurrency and contention suites run
# on Vitess's sharded keyspace too (target vitess-sharded).
# test-engines-all runs every test there, with -short, one package at a
# time (5.5 minutes on 2026-12-05: packages side by side, each test
# holding one of the 8 Vitess keyspaces, would wait out the pool).
ENGINE_RUNTIME = TestReliability|TestVitessSharded|TestTxOptions|TestLock|TestJobQueue|TestFoldCollation
engines-set:
	@test -n "$(ORMC_TEST_TIDB)" -a -n "$(ORMC_TEST_VITESS)" || \
		{ echo "set ORMC_TEST_TIDB and ORMC_TEST_VITESS (eval \"\$$(scripts/engines.sh env)\")"; exit 1; }

test-engines: engines-set
	ORMC_TEST_ONLY=tidb,vitess $(GO) test -short -count=1 -run '$(ENGINE_RUNTIME)' ./runtime
	ORMC_TEST_ONLY=tidb,vitess $(GO) test -short -count=1 ./runtime/migrate ./runtime/inspect ./internal/testdb
	cd examples && ORMC_TEST_ONLY=tidb,vitess $(GO) test -short -count=1 ./...
	ORMC_TEST_ONLY=tidb $(GO) test -short -count=1 -run TestScenarios ./compiler/migrate

test-engines-all: engines-set
	ORMC_TEST_ONLY=tidb,vitess $(GO) test -short -count=1 -timeout 30m -p 1 ./...
	cd examples && ORMC_TEST_ONLY=tidb,vitess $(GO) test -short -count=1 ./...

# generate rebuilds every committed generated file from its schema.
generate:
	$(GO) run ./cmd/ormc build -o examples/notes/db examples/notes.orm
	$(GO) run ./cmd/ormc build -o examples/music/db examples/music.orm
	$(GO) run ./cmd/ormc build -o examples/types/db examples/types.orm
	$(GO) run ./cmd/ormc build -o examples/conformance/db examples/conformance.orm
	$(GO) run ./cmd/ormc build -o examples/hostile/db examples/hostile.orm
	$(GO) run ./cmd/ormc build -o bench/ormcdb bench/schema.orm

# GENERATED are the directories make generate writes.
GENERATED = examples/notes/db examples/music/db examples/types/db examples/conformance/db examples/hostile/db bench/ormcdb

# check-generated fails when the committed generated code is stale: a file
# changed, deleted, or new and untracked (git diff would miss the last).
check-generated: generate
	@status=$$(git status --porcelain --untracked-files=all -- $(GENERATED)); \
	if [ -n "$$status" ]; then \
		echo "generated code is not committed (run make generate and commit):"; \
		echo "$$status"; git --no-pager diff --stat -- $(GENERATED); exit 1; \
	fi

# fuzz runs every fuzz target for FUZZTIME each. make test runs every seed
# corpus, and fuzzes FuzzParse and FuzzCheck for FUZZSHORT each.
fuzz:
	$(GO) test ./schema -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./compiler -run '^$$' -fuzz FuzzCheck -fuzztime $(FUZZTIME)
	$(GO) test ./compiler/pull -run '^$$' -fuzz FuzzParseCheck -fuzztime $(FUZZTIME)
	for f in FuzzLookup FuzzRedact FuzzRedactBuilt FuzzSQLitePath FuzzMySQLConfig FuzzParseDecimal; do \
		$(GO) test ./runtime -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) || exit 1; \
	done
	$(GO) test ./runtime/inspect -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	cd examples && $(GO) test ./types -run '^$$' -fuzz '^FuzzLookupValues$$' -fuzztime $(FUZZTIME)

install:
	$(GO) install ./cmd/ormc

# bench runs every benchmark in bench/ BENCH_PASSES times, one pass after
# another (-count=1 each, so contenders interleave on a noisy machine), then
# prints the tables of bench/RESULTS.md. The raw output is bench/out/raw.txt.
# Leave ORMC_BENCH_POSTGRES or ORMC_BENCH_MYSQL empty to skip that database.
ORMC_BENCH_POSTGRES ?= postgresql://postgres@127.0.0.1:5432/test
ORMC_BENCH_MYSQL ?= mysql://root@127.0.0.1:3306/test
BENCH ?= .
BENCH_PASSES ?= 6
BENCH_TIME ?= 300ms

.PHONY: bench bench-smoke
bench:
	mkdir -p bench/out && rm -f bench/out/raw.txt
	cd bench && $(GO) test -c -o out/bench.test .
	cd bench && for i in $$(seq $(BENCH_PASSES)); do \
		echo "pass $$i of $(BENCH_PASSES)" >&2; \
		ORMC_BENCH_POSTGRES='$(ORMC_BENCH_POSTGRES)' ORMC_BENCH_MYSQL='$(ORMC_BENCH_MYSQL)' \
		./out/bench.test -test.run '^$$' -test.bench '$(BENCH)' -test.benchtime $(BENCH_TIME) \
			-test.count 1 -test.benchmem >>out/raw.txt || { cat out/raw.txt; exit 1; }; \
	done
	cd bench && $(GO) run ./cmd/ratio out/raw.txt

# bench-smoke runs every benchmark once, so they keep compiling and
# checking their results; timings mean nothing here.
# (bench/out holds what make bench and compilerspeed.sh build: not vetted.)
bench-smoke:
	cd bench && $(GO) vet $$($(GO) list ./... | grep -v /out/) && \
		ORMC_BENCH_POSTGRES='$(ORMC_BENCH_POSTGRES)' ORMC_BENCH_MYSQL='$(ORMC_BENCH_MYSQL)' \
		$(GO) test -count=1 -run '^$$' -bench . -benchtime 1x .
