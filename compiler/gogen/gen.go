// Package gogen generates the typed Go client package for a checked
// schema: one file per model and the client. Every file is rendered and
// gofmt-formatted in memory; nothing is written unless all of it is valid.
package gogen

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"go/token"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"lower":    func(s string) string { return strings.ToLower(s[:1]) + s[1:] },
	"goString": goString,
}).ParseFS(templateFS, "templates/*.tmpl"))

// Options control generation.
type Options struct {
	// Package is the generated package's name; "db" when empty.
	Package string
	// Dialects are the dialects whose drivers the client links: names of
	// dialect.All; all of them when empty.
	Dialects []string
	// DDL holds each dialect's CREATE and DROP statements (from
	// compiler/ddl), which the client's CreateTables and DropTables run.
	DDL map[string]DDL
}

// DDL is one dialect's statements.
type DDL struct {
	Create []string
	// Drop runs in one transaction, on a session that DropBefore
	// prepares before it begins and DropAfter restores after it ends
	// (compiler/ddl.DropSession).
	Drop       []string
	DropBefore []string
	DropAfter  []string
	// Description is the JSON of the description of the tables Create
	// makes (compiler/ddl.DescribeJSON), which the client's CheckSchema
	// compares with the database.
	Description string
}

// driverOf is the driver package of a dialect of dialect.All, which is
// runtime/driver/NAME.
func driverOf(name string) driverView {
	return driverView{Import: "github.com/ormc/ormc/runtime/driver/" + name, Name: name}
}

// Generate returns the files of the client package, by file name. It fails
// without output if any file does not format, quoting the broken source.
func Generate(s *ir.Schema, opts Options) (map[string][]byte, error) {
	pkg := opts.Package
	if pkg == "" {
		pkg = "db"
	}
	if !token.IsIdentifier(pkg) || token.IsKeyword(pkg) {
		return nil, fmt.Errorf("invalid package name %q", pkg)
	}
	dialects := opts.Dialects
	if len(dialects) == 0 {
		dialects = dialect.Names
	}
	files := map[string][]byte{}
	cv := clientView{Package: pkg}
	for _, m := range s.Models {
		cv.Models = append(cv.Models, newModelView(s, m))
	}
	// Formatting dominates the time of a build, and each model's file is
	// independent: render them on every CPU. The output does not depend on
	// the order in which they finish.
	srcs := make([][]byte, len(cv.Models))
	errs := make([]error, len(cv.Models))
	parallel(len(cv.Models), func(i int) {
		srcs[i], errs[i] = render("model.go.tmpl", map[string]any{"Package": pkg, "Model": cv.Models[i]})
	})
	for i, mv := range cv.Models {
		if errs[i] != nil {
			return nil, fmt.Errorf("model %s: %w", s.Models[i].Name, errs[i])
		}
		files[mv.FileName] = srcs[i]
	}
	for _, d := range slices.Sorted(slices.Values(dialect.Names)) { // sorted by import path
		for _, want := range dialects {
			if want == d {
				cv.Drivers = append(cv.Drivers, driverOf(d))
			}
		}
	}
	for _, d := range dialects {
		if dialect.ByName(d) == nil {
			return nil, fmt.Errorf("unknown dialect %q", d)
		}
		ddl := opts.DDL[d]
		cv.DDL = append(cv.DDL, dialectDDL{Dialect: d, Create: ddl.Create, Drop: ddl.Drop,
			DropBefore: ddl.DropBefore, DropAfter: ddl.DropAfter, Description: ddl.Description})
	}
	src, err := render("client.go.tmpl", cv)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	if _, clash := files["client.go"]; clash {
		return nil, fmt.Errorf("a model's file name clashes with client.go")
	}
	files["client.go"] = src
	exports, err := render("exports.go.tmpl", map[string]any{"Package": pkg})
	if err != nil {
		return nil, err
	}
	if _, clash := files["exports.go"]; clash {
		return nil, fmt.Errorf("a model's file name clashes with exports.go")
	}
	files["exports.go"] = exports
	return files, nil
}

// parallel calls fn(0) … fn(n-1) on up to GOMAXPROCS goroutines and
// returns when all have returned.
func parallel(n int, fn func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func render(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated code does not format: %v\n%s", err, numbered(buf.Bytes()))
	}
	return src, nil
}

// numbered returns src with line numbers, for error messages.
func numbered(src []byte) string {
	var b strings.Builder
	for i, line := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}

// goString writes s as a Go string expression that keeps its lines:
// raw string literals, joined with a quoted backquote where s has one;
// a quoted literal where s holds what a raw one cannot (a carriage
// return, a control character, invalid UTF-8).
func goString(s string) string {
	if !strconv.CanBackquote(strings.NewReplacer("\n", "", "`", "").Replace(s)) {
		return strconv.Quote(s)
	}
	return "`" + strings.ReplaceAll(s, "`", "` + \"`\" + `") + "`"
}
