package migrate

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/ormc/ormc/runtime/dialect"
)

// SumFile is the name of the integrity file of a migration directory.
const SumFile = "ormc.sum"

// Migration is one migration of a directory, for one dialect.
type Migration struct {
	Version string // NNNN
	Name    string
	// File is the name of its .sql file for the dialect; Snapshot that
	// of the schema snapshot after it.
	File     string
	Snapshot string
	// Checksum is the sha256 of File's bytes, lowercase hex, as the
	// ledger stores it.
	Checksum string
	Steps    []Step
}

// ID is the migration's full name, NNNN_name.
func (m *Migration) ID() string { return m.Version + "_" + m.Name }

// Step is one statement of a migration file.
type Step struct {
	Number int // 1-based, in file order
	// NoTx: the step runs outside any transaction. Check: the step is a
	// pre-check query, run before any DDL of the migration, that must
	// return no rows.
	NoTx, Check bool
	Description string
	SQL         string
}

// fileName matches a migration's files: NNNN_name.<dialect>.sql and
// NNNN_name.schema.json.
var fileName = regexp.MustCompile(`^([0-9]{4})_([a-z0-9_]+)\.([a-z0-9]+)\.(sql|json)$`)

// Read checks the migration directory at the root of fsys against its
// ormc.sum and returns its migrations for dialect d in order of version.
// A migration without a file for d is an error (the planner writes one
// per dialect), as are versions that do not run 0001, 0002, … .
func Read(fsys fs.FS, d dialect.Dialect) ([]*Migration, error) {
	if err := VerifySum(fsys); err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("ormc: read migration directory: %w", err)
	}
	sqlSuffix := "." + d.Name() + ".sql"
	byID := map[string]*Migration{}
	var ids []string
	for _, e := range entries {
		m := fileName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		id := m[1] + "_" + m[2]
		mig := byID[id]
		if mig == nil {
			mig = &Migration{Version: m[1], Name: m[2]}
			byID[id] = mig
			ids = append(ids, id)
		}
		switch {
		case m[4] == "json" && m[3] == "schema":
			mig.Snapshot = e.Name()
		case strings.HasSuffix(e.Name(), sqlSuffix): // the file of d
			mig.File = e.Name()
		}
	}
	slices.Sort(ids)
	out := make([]*Migration, 0, len(ids))
	for i, id := range ids {
		m := byID[id]
		if want := fmt.Sprintf("%04d", i+1); m.Version != want {
			if len(out) > 0 && out[len(out)-1].Version == m.Version {
				return nil, fmt.Errorf("%w: migrations %s and %s have the same version (ormc migrate rebase renumbers a branch's)", ErrFormat, out[len(out)-1].ID(), id)
			}
			return nil, fmt.Errorf("%w: migration %s should be version %s: versions run 0001, 0002, … without gaps", ErrFormat, id, want)
		}
		if m.File == "" {
			return nil, fmt.Errorf("%w: migration %s has no file for %s (%s.%s.sql)", ErrFormat, id, d.Name(), id, d.Name())
		}
		src, err := fs.ReadFile(fsys, m.File)
		if err != nil {
			return nil, fmt.Errorf("ormc: read migration: %w", err)
		}
		sum := sha256.Sum256(src)
		m.Checksum = hex.EncodeToString(sum[:])
		if m.Steps, err = ParseFile(m.File, src); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Sum returns what ormc.sum must hold for the directory at the root of
// fsys (see SumFiles). The planner writes it; Read checks it.
func Sum(fsys fs.FS) ([]byte, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("ormc: read migration directory: %w", err)
	}
	files := make(map[string][]byte, len(entries))
	for _, e := range entries {
		name := e.Name()
		if name == SumFile || !e.Type().IsRegular() {
			continue
		}
		if files[name], err = fs.ReadFile(fsys, name); err != nil {
			return nil, fmt.Errorf("ormc: read migration directory: %w", err)
		}
	}
	return SumFiles(files), nil
}

// SumFiles returns the text of ormc.sum for files, every file of a
// migration directory but ormc.sum by name: "h1:" and the base64 sha256
// of the lines that follow, then one line per file in byte order of
// names, "name h1:<base64 sha256 of the file>". It is the one rule the
// planner (compiler/migrate) and the applier share.
func SumFiles(files map[string][]byte) []byte {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	var body bytes.Buffer
	for _, name := range names {
		fmt.Fprintf(&body, "%s %s\n", name, h1(files[name]))
	}
	return append([]byte(h1(body.Bytes())+"\n"), body.Bytes()...)
}

func h1(b []byte) string {
	sum := sha256.Sum256(b)
	return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
}

// VerifySum returns an error wrapping ErrSumMismatch, naming the files
// that differ, when ormc.sum does not match the directory at the root of
// fsys.
func VerifySum(fsys fs.FS) error {
	have, err := fs.ReadFile(fsys, SumFile)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: no %s at the root of the directory (for //go:embed migrations, pass fs.Sub(fsys, \"migrations\"))", ErrFormat, SumFile)
	}
	if err != nil {
		return fmt.Errorf("ormc: read %s: %w", SumFile, err)
	}
	want, err := Sum(fsys)
	if err != nil {
		return err
	}
	if bytes.Equal(have, want) {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrSumMismatch, sumDifference(have, want))
}

// sumDifference says which files make ormc.sum differ from the directory.
func sumDifference(have, want []byte) string {
	lines := func(b []byte) map[string]string {
		m := map[string]string{}
		for i, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
			if i == 0 {
				continue
			}
			name, sum, _ := strings.Cut(l, " ")
			m[name] = sum
		}
		return m
	}
	h, w := lines(have), lines(want)
	var diffs []string
	for name, sum := range w {
		switch hs, ok := h[name]; {
		case !ok:
			diffs = append(diffs, name+" is not in "+SumFile)
		case hs != sum:
			diffs = append(diffs, name+" changed")
		}
	}
	for name := range h {
		if _, ok := w[name]; !ok {
			diffs = append(diffs, name+" is missing")
		}
	}
	slices.Sort(diffs)
	if len(diffs) == 0 {
		return SumFile + " is not in its own format (regenerate it with ormc migrate diff or rebase)"
	}
	return strings.Join(diffs, "; ")
}

// ParseFile reads the steps of a migration file called name.
func ParseFile(name string, src []byte) ([]Step, error) {
	var steps []Step
	var body []string
	flush := func() {
		if n := len(steps); n > 0 {
			steps[n-1].SQL = strings.TrimSpace(strings.Join(body, "\n"))
		}
		body = body[:0]
	}
	for i, line := range strings.Split(string(src), "\n") {
		rest, isStep := strings.CutPrefix(strings.TrimRight(line, "\r"), "-- ormc:step")
		if !isStep || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			if len(steps) > 0 {
				body = append(body, line)
			} else if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
				return nil, fmt.Errorf("%w: %s:%d: SQL before the first -- ormc:step", ErrFormat, name, i+1)
			}
			continue
		}
		flush()
		s := Step{Number: len(steps) + 1}
		flags, desc, _ := strings.Cut(rest, "--")
		s.Description = strings.TrimSpace(desc)
		for _, f := range strings.Fields(flags) {
			switch f {
			case "notx":
				s.NoTx = true
			case "check":
				s.Check = true
			default:
				return nil, fmt.Errorf("%w: %s:%d: unknown step flag %q (want notx, check)", ErrFormat, name, i+1, f)
			}
		}
		steps = append(steps, s)
	}
	flush()
	for _, s := range steps {
		if s.SQL == "" {
			return nil, fmt.Errorf("%w: %s: step %d has no SQL", ErrFormat, name, s.Number)
		}
	}
	return steps, nil
}
