#!/bin/sh
# compilerspeed.sh times ormc on a generated schema of 500 models of 10
# fields: `ormc check`, `ormc build`, and `go build` of the package it
# generates. Run it from bench/; it writes under out/.
set -eu
MODELS=${MODELS:-500}
FIELDS=${FIELDS:-10}
mkdir -p out
(cd .. && go build -o bench/out/ormc ./cmd/ormc)
go run ./cmd/genschema -models "$MODELS" -fields "$FIELDS" > out/big.orm
rm -rf out/bigdb
t() { # label, command...
	label=$1; shift
	start=$(date +%s.%N)
	"$@" >/dev/null
	end=$(date +%s.%N)
	printf '%-40s %6.2fs\n' "$label" "$(echo "$end - $start" | bc)"
}
echo "schema: $MODELS models x $FIELDS fields, $(wc -l < out/big.orm) lines"
t "ormc check" out/ormc check out/big.orm
t "ormc build (first, empty dir)" out/ormc build -o out/bigdb out/big.orm
t "ormc build (again, nothing changed)" out/ormc build -o out/bigdb out/big.orm
echo "generated: $(ls out/bigdb | wc -l) files, $(cat out/bigdb/*.go | wc -l) lines of Go"
# ormc's runtime and drivers are built once first, so the timings below
# are the generated package's own compile.
go build github.com/ormc/ormc/runtime/... 
t "go build ./out/bigdb" go build ./out/bigdb
echo "// touched" >> out/bigdb/client.go
t "go build ./out/bigdb (after an edit)" go build ./out/bigdb
t "go vet ./out/bigdb" go vet ./out/bigdb
# The floor: a package of nothing but the generic instantiations the
# client names per model (bench/cmd/genfloor), no generated function.
mkdir -p out/floor
go run ./cmd/genfloor -models "$MODELS" > out/floor/floor.go
go build ./out/floor
echo "// touched" >> out/floor/floor.go
t "go build of the API's floor (after an edit)" go build ./out/floor
# PHASES=1 compiles the package once more with the compiler's own timings
# (-bench): the front end against the back end, and how many functions
# the back end built, a count the machine's load does not change.
if [ "${PHASES:-0}" = 1 ]; then
	echo "// touched" >> out/bigdb/client.go
	go build -gcflags=-bench="$PWD/out/phases.txt" -o /dev/null ./out/bigdb
	awk '/:fe:subtotal|:be:compilefuncs|:be:dumpobj|:total/ {
		n = split($1, w, ":"); l = w[n]; if (w[n-1] == "fe" || w[n-1] == "be") l = w[n-1] ":" l
		printf "  compile %-16s %7.2fs %s %s\n", l, $3/1e9, $7, $8 }' out/phases.txt
	rm -f out/phases.txt
fi
