package migrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
	"github.com/ormc/ormc/runtime/dialect"
	rtmigrate "github.com/ormc/ormc/runtime/migrate"
	"github.com/ormc/ormc/schema"
)

// The migration directory of docs/migrations.md: NNNN_name.<dialect>.sql
// per dialect, NNNN_name.schema.json, and ormc.sum over them all.

// SumFile is the name of the directory's integrity file.
const SumFile = "ormc.sum"

// Errors of a directory that is not as docs/migrations.md says.
var (
	// ErrSum: ormc.sum does not match the directory's files.
	ErrSum = errors.New("ormc.sum does not match the directory")
	// ErrLayout: a migration's files are missing, misnamed or out of
	// sequence.
	ErrLayout = errors.New("the migration directory is not as ormc writes it")
)

var fileName = regexp.MustCompile(`^([0-9]{4})_([a-z0-9_]+)\.([a-z]+)\.(sql|json)$`)

// ValidName reports whether name may name a migration: [a-z0-9_]+.
func ValidName(name string) bool { return regexp.MustCompile(`^[a-z0-9_]+$`).MatchString(name) }

// Migration is one migration of a directory.
type Migration struct {
	Version int
	Name    string
}

// ID is the migration's id, NNNN_name.
func (m Migration) ID() string { return fmt.Sprintf("%04d_%s", m.Version, m.Name) }

// Dir is a migration directory read into memory.
type Dir struct {
	// Files holds every file but ormc.sum, by name.
	Files map[string][]byte
	// Migrations are in order of version.
	Migrations []Migration
}

// ReadDir reads the migration directory fsys. A directory with no
// migrations (or none at all: pass an empty fs) is valid. It fails with
// ErrSum when ormc.sum does not match the files, ErrLayout when a
// migration lacks a file or versions are not 1, 2, 3….
func ReadDir(fsys fs.FS) (*Dir, error) {
	d, _, err := readDir(fsys, "")
	return d, err
}

// readDir reads fsys as ReadDir does, leaving out the files of migration
// moved (by id), which it returns apart, and then not checking ormc.sum,
// which the two branches that rebase joins both changed.
func readDir(fsys fs.FS, moved string) (*Dir, map[string][]byte, error) {
	d := &Dir{Files: map[string][]byte{}}
	out := map[string][]byte{}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	var sum []byte
	seen := map[int]string{}
	for _, e := range entries {
		file := e.Name()
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, nil, err
		}
		if moved != "" && strings.HasPrefix(file, moved+".") {
			out[file] = b
			continue
		}
		if file == SumFile {
			sum = b
			continue
		}
		d.Files[file] = b
		m := fileName.FindStringSubmatch(file)
		if m == nil {
			continue // not a migration's file; ormc.sum covers it all the same
		}
		v, _ := strconv.Atoi(m[1])
		if prev, ok := seen[v]; ok && prev != m[2] {
			return nil, nil, fmt.Errorf("%w: version %s is both %s_%s and %s_%s (ormc migrate rebase renumbers one)", ErrLayout, m[1], m[1], prev, m[1], m[2])
		}
		if _, ok := seen[v]; !ok {
			seen[v] = m[2]
			d.Migrations = append(d.Migrations, Migration{v, m[2]})
		}
	}
	slices.SortFunc(d.Migrations, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range d.Migrations {
		if m.Version != i+1 {
			return nil, nil, fmt.Errorf("%w: migration %s follows version %04d", ErrLayout, m.ID(), i)
		}
		for _, name := range m.files() {
			if _, ok := d.Files[name]; !ok {
				return nil, nil, fmt.Errorf("%w: migration %s has no file %s", ErrLayout, m.ID(), name)
			}
		}
	}
	if moved != "" {
		return d, out, nil
	}
	if len(d.Files) > 0 && sum == nil {
		return nil, nil, fmt.Errorf("%w: there is no %s", ErrSum, SumFile)
	}
	if sum != nil && !bytes.Equal(sum, Sum(d.Files)) {
		return nil, nil, fmt.Errorf("%w: a file was changed, added or removed since ormc wrote %s", ErrSum, SumFile)
	}
	return d, out, nil
}

// files are the names of m's files.
func (m Migration) files() []string {
	out := []string{m.ID() + ".schema.json"}
	for _, d := range dialect.All {
		out = append(out, m.ID()+"."+d.Name()+".sql")
	}
	return out
}

// Snapshot returns the schema after migration number i (1-based), or an
// empty schema for 0.
func (d *Dir) Snapshot(i int) (*ir.Schema, error) {
	if i == 0 {
		return &ir.Schema{Version: ir.Version}, nil
	}
	m := d.Migrations[i-1]
	s := &ir.Schema{}
	if err := json.Unmarshal(d.Files[m.ID()+".schema.json"], s); err != nil {
		return nil, fmt.Errorf("%w: %s.schema.json: %v", ErrLayout, m.ID(), err)
	}
	if s.Version > ir.Version {
		return nil, fmt.Errorf("%w: %s.schema.json is of snapshot version %d; this ormc reads up to %d", ErrLayout, m.ID(), s.Version, ir.Version)
	}
	if err := checkSnapshot(s); err != nil {
		return nil, fmt.Errorf("%w: %s.schema.json: %v", ErrLayout, m.ID(), err)
	}
	return s, nil
}

// checkSnapshot checks what the planner relies on in a snapshot that
// was read, not made by the checker: every model has fields and a
// primary key among them, and every relation a model it refers to.
func checkSnapshot(s *ir.Schema) error {
	for _, m := range s.Models {
		if m == nil || m.PrimaryKey < 0 || m.PrimaryKey >= len(m.Fields) {
			return errors.New("a model without its primary key")
		}
		for _, f := range m.Fields {
			switch {
			case f == nil:
				return fmt.Errorf("model %q: an empty field", m.Name)
			case f.Type.Kind.IsRelation() != (f.Relation != nil):
				return fmt.Errorf("model %q, field %q: a relation without its model, or the converse", m.Name, f.Name)
			case f.Relation != nil && s.Model(f.Relation.Model) == nil:
				return fmt.Errorf("model %q, field %q refers to model %q, which the snapshot lacks", m.Name, f.Name, f.Relation.Model)
			}
		}
	}
	return nil
}

// Latest returns the snapshot of the last migration, or an empty schema.
func (d *Dir) Latest() (*ir.Schema, error) { return d.Snapshot(len(d.Migrations)) }

// Allowed returns the codes of migration m's "-- ormc:allow" lines (in
// any of its files).
func (d *Dir) Allowed(m Migration) []schema.Code {
	var out []schema.Code
	for _, dl := range dialect.All {
		for line := range strings.Lines(string(d.Files[m.ID()+"."+dl.Name()+".sql"])) {
			rest, ok := strings.CutPrefix(strings.TrimSpace(line), "-- ormc:allow")
			if !ok {
				continue
			}
			for _, c := range strings.Fields(rest) {
				if !slices.Contains(out, schema.Code(c)) {
					out = append(out, schema.Code(c))
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// Files returns the files of plan p as migration m: a .sql file per
// dialect and the snapshot.
func (p *Plan) Files(m Migration) (map[string][]byte, error) {
	snap, err := ir.MarshalSnapshot(p.New)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{m.ID() + ".schema.json": snap}
	for _, d := range dialect.All {
		out[m.ID()+"."+d.Name()+".sql"] = p.File(d, m.ID())
	}
	return out, nil
}

// Sum returns the text of ormc.sum for files (every file of the
// directory but ormc.sum), by the applier's rule: runtime/migrate.SumFiles.
func Sum(files map[string][]byte) []byte { return rtmigrate.SumFiles(files) }
