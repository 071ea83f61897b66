// Command ratio reads `go test -bench` output from the benchmarks of
// package bench (names Op/db=D/impl=I, any number of passes) and prints
// markdown tables: the median time, B/op and allocs/op of every
// contender, its spread across passes, and its time ratio to the floor of
// its database (raw pgx on PostgreSQL, hand-written database/sql
// elsewhere).
//
//	go run ./cmd/ratio out/raw.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// floor names the contender each database's ratios are relative to.
var floor = map[string]string{"pg": "pgx", "sqlite": "sql", "mysql": "sql"}

var lineRE = regexp.MustCompile(`^Benchmark([^/\s]+)/db=([^/\s]+)/impl=(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

type key struct{ op, db, impl string }

type samples struct{ ns, bytes, allocs []float64 }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: ratio FILE (go test -bench output; - for stdin)")
		os.Exit(2)
	}
	var r io.Reader = os.Stdin
	if os.Args[1] != "-" {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "ratio:", err)
			os.Exit(1)
		}
		defer f.Close()
		r = f
	}
	data, ops, dbs, impls := parse(r)
	if len(data) == 0 {
		fmt.Fprintln(os.Stderr, "ratio: no benchmark results")
		os.Exit(1)
	}
	print(os.Stdout, data, ops, dbs, impls)
}

// parse collects every sample, and the ops, dbs and impls in order of
// first appearance.
func parse(r io.Reader) (map[key]*samples, []string, []string, map[string][]string) {
	data := map[key]*samples{}
	var ops, dbs []string
	impls := map[string][]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		k := key{m[1], m[2], m[3]}
		s := data[k]
		if s == nil {
			s = &samples{}
			data[k] = s
			if !slices.Contains(ops, k.op) {
				ops = append(ops, k.op)
			}
			if !slices.Contains(dbs, k.db) {
				dbs = append(dbs, k.db)
			}
			if !slices.Contains(impls[k.db], k.impl) {
				impls[k.db] = append(impls[k.db], k.impl)
			}
		}
		f := strings.Fields(m[4])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "B/op":
				s.bytes = append(s.bytes, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			}
		}
	}
	return data, ops, dbs, impls
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// spread is the largest distance from the median, in percent of it.
func spread(xs []float64) float64 {
	m := median(xs)
	if m == 0 {
		return 0
	}
	d := 0.0
	for _, x := range xs {
		d = max(d, abs(x-m))
	}
	return 100 * d / m
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func dur(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2fms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1fµs", ns/1e3)
	}
	return fmt.Sprintf("%.0fns", ns)
}

func size(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.2fMiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1fKiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0fB", b)
}

func print(w io.Writer, data map[key]*samples, ops, dbs []string, impls map[string][]string) {
	for _, db := range dbs {
		fl := floor[db]
		fmt.Fprintf(w, "### db=%s: time (median), ratio to %s\n\n", db, fl)
		header(w, impls[db])
		for _, op := range ops {
			base := data[key{op, db, fl}]
			fmt.Fprintf(w, "| %s |", op)
			for _, im := range impls[db] {
				s := data[key{op, db, im}]
				switch {
				case s == nil || len(s.ns) == 0:
					fmt.Fprint(w, " — |")
				case base == nil || len(base.ns) == 0:
					fmt.Fprintf(w, " %s |", dur(median(s.ns)))
				default:
					fmt.Fprintf(w, " %s **%.2f×** |", dur(median(s.ns)), median(s.ns)/median(base.ns))
				}
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "\n### db=%s: allocs/op and B/op (median)\n\n", db)
		header(w, impls[db])
		for _, op := range ops {
			fmt.Fprintf(w, "| %s |", op)
			for _, im := range impls[db] {
				s := data[key{op, db, im}]
				if s == nil || len(s.allocs) == 0 {
					fmt.Fprint(w, " — |")
					continue
				}
				fmt.Fprintf(w, " %.0f / %s |", median(s.allocs), size(median(s.bytes)))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "### Every result: median over passes, ± the largest deviation from it")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| op | db | impl | passes | time | ± | ratio | B/op | allocs/op |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|")
	for _, op := range ops {
		for _, db := range dbs {
			base := data[key{op, db, floor[db]}]
			for _, im := range impls[db] {
				s := data[key{op, db, im}]
				if s == nil || len(s.ns) == 0 {
					continue
				}
				ratio := "—"
				if base != nil && len(base.ns) > 0 {
					ratio = fmt.Sprintf("%.2f×", median(s.ns)/median(base.ns))
				}
				fmt.Fprintf(w, "| %s | %s | %s | %d | %s | %.0f%% | %s | %s | %.0f |\n",
					op, db, im, len(s.ns), dur(median(s.ns)), spread(s.ns), ratio, size(median(s.bytes)), median(s.allocs))
			}
		}
	}
}

func header(w io.Writer, impls []string) {
	fmt.Fprint(w, "| op |")
	for _, im := range impls {
		fmt.Fprintf(w, " %s |", im)
	}
	fmt.Fprint(w, "\n|---|")
	for range impls {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
}
