package ormc_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/ormc/ormc"

// allowed lists, for every package of the module, the module packages and
// the third-party import prefixes it may import (standard library imports
// are always allowed). A new edge fails TestDeps until it is added here,
// on purpose, as in Go's own go/build/deps_test.go.
var allowed = map[string][]string{
	"schema":                  {"github.com/alecthomas/participle/v2"},
	"compiler/ir":             {"schema", "runtime/dialect"}, // dialect: the column kinds' descriptors
	"compiler":                {"schema", "compiler/ir", "internal/textcheck", "internal/suggest", "runtime/dialect"},
	"compiler/gogen":          {"schema", "compiler/ir", "runtime/dialect"}, // schema: positioned diagnostics of CheckNames
	"compiler/ddl":            {"compiler/ir", "runtime/dialect", "runtime/inspect"},
	"runtime":                 {"runtime/dialect", "runtime/driver", "internal/textcheck", "internal/suggest"},
	"runtime/dialect":         {},
	"runtime/driver":          {"runtime/dialect"}, // the driver interface: never the runtime, which imports it
	"runtime/inspect":         {"runtime", "runtime/dialect"},
	"runtime/migrate":         {"runtime", "runtime/dialect", "runtime/inspect"}, // the applier: a generated client's Migrate links it, never the compiler
	"runtime/driver/postgres": {"runtime/driver", "runtime/dialect", "github.com/jackc/pgx/v5"},
	"runtime/driver/mysql":    {"runtime/driver", "runtime/dialect", "github.com/go-sql-driver/mysql"},
	"runtime/driver/sqlite":   {"runtime/driver", "runtime/dialect", "modernc.org/sqlite"},
	"compiler/migrate":        {"schema", "compiler/ir", "compiler/ddl", "runtime/dialect", "runtime/migrate"},             // plans migrations from two snapshots
	"compiler/pull":           {"schema", "compiler", "compiler/ir", "compiler/ddl", "runtime/dialect", "runtime/inspect"}, // the text of ormc pull, from an inspected database
	"cmd/ormc":                {"schema", "compiler", "compiler/ir", "compiler/gogen", "compiler/ddl", "compiler/migrate", "compiler/pull", "runtime", "runtime/dialect", "runtime/inspect", "runtime/migrate", "runtime/driver/postgres", "runtime/driver/mysql", "runtime/driver/sqlite", "github.com/rogpeppe/go-internal/diff"},
	"internal/testdb":         {"runtime", "runtime/dialect", "runtime/driver", "runtime/driver/postgres", "runtime/driver/mysql"},
	"internal/textcheck":      {},         // the Email and URL rules, shared by the checker (defaults) and the runtime (writes)
	"internal/suggest":        {},         // the "did you mean" rule, shared by the checker's hints and the runtime's lookup strings
	"internal/diagtest":       {"schema"}, // test helper: the // ERROR expectations of checker and spec tests
	"lang":                    {},
	"":                        {}, // this file's own test-only package
}

func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		allow, known := allowed[pkg]
		if !known {
			t.Errorf("package %q is not listed in deps_test.go: add it with the imports it may have", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if isStd(imp) {
				continue
			}
			name := imp
			if rel, ok := strings.CutPrefix(imp, module+"/"); ok {
				name = rel
			}
			if !slices.ContainsFunc(allow, func(a string) bool {
				return name == a || !strings.HasPrefix(name, module) && strings.HasPrefix(name, a+"/")
			}) {
				t.Errorf("%s imports %s, which deps_test.go does not allow", pkg, imp)
			}
		}
	}
}

// TestRuntimeLinksNoCompiler checks that a program using the generated
// client (which imports runtime and its drivers) never links the parser
// or the compiler.
func TestRuntimeLinksNoCompiler(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "./runtime/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, module+"/schema") || strings.HasPrefix(dep, module+"/compiler") ||
			strings.Contains(dep, "participle") {
			t.Errorf("the runtime links %s", dep)
		}
	}
}

// TestNoDialectNameComparison: outside runtime/dialect, code asks a
// dialect what it does (a method, a capability) or looks it up in a
// registry keyed by its name; it never compares the name, so that a new
// dialect cannot be forgotten by an if (docs/architecture.md, "Where each
// piece of knowledge lives"). Tests may compare names.
func TestNoDialectNameComparison(t *testing.T) {
	compare := regexp.MustCompile(`\.Name\(\)\s*[!=]=|[!=]=\s*\w+(\.\w+)*\.Name\(\)`)
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == filepath.Join("runtime", "dialect") || path != "." && strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "out" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if compare.MatchString(line) {
				t.Errorf("%s:%d compares a dialect's name: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
