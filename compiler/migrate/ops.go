package migrate

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/ormc/ormc/compiler/ir"
)

// The directory operations behind ormc migrate diff, rebase and down.
// Each plans in memory and returns a Change set to write (Writes, with
// ormc.sum) and remove; the caller writes nothing when the plan has
// errors.

// ErrNoChanges is returned when the schema is the last snapshot's.
var ErrNoChanges = errors.New("no changes")

// Update is what an operation writes to the directory: files to write,
// ormc.sum among them, and files to remove.
type Update struct {
	Migration Migration
	Plan      *Plan
	Writes    map[string][]byte
	Removes   []string
}

// update completes u: the files of its plan, and ormc.sum over the
// directory's files (without those removed) and the new ones.
func (d *Dir) update(u *Update) (*Update, error) {
	files, err := u.Plan.Files(u.Migration)
	if err != nil {
		return nil, err
	}
	all := map[string][]byte{}
	for n, b := range d.Files {
		if !slices.Contains(u.Removes, n) {
			all[n] = b
		}
	}
	for n, b := range files {
		all[n] = b
	}
	files[SumFile] = Sum(all)
	u.Writes = files
	slices.Sort(u.Removes)
	return u, nil
}

// Next plans the directory's next migration, from its last snapshot to
// s, named name. The plan's diagnostics say whether it may be written;
// ErrNoChanges when there is nothing to do.
func (d *Dir) Next(s *ir.Schema, name string, opts Options) (*Update, error) {
	old, err := d.Latest()
	if err != nil {
		return nil, err
	}
	p := New(old, s, opts)
	if len(p.Changes) == 0 {
		return &Update{Plan: p}, ErrNoChanges
	}
	if name == "" {
		name = "migration"
		if len(d.Migrations) == 0 {
			name = "init"
		}
	}
	return d.update(&Update{Migration: Migration{len(d.Migrations) + 1, name}, Plan: p})
}

// Rebase reads the directory fsys, in which the migration id of this
// branch now has the version of another branch's migration, or one
// lower than its last, and plans it again after them all: from the last
// other migration's snapshot to s, the schema both branches joined,
// under the allowance of its file's "-- ormc:allow" line, renumbered
// and keeping its name. The old files of id go.
func Rebase(fsys fs.FS, id string, s *ir.Schema, opts Options) (*Update, error) {
	d, moved, err := readDir(fsys, id)
	if err != nil {
		return nil, err
	}
	if len(moved) == 0 {
		return nil, fmt.Errorf("%w: no migration %s", ErrLayout, id)
	}
	_, name, ok := strings.Cut(id, "_")
	if !ok || !ValidName(name) {
		return nil, fmt.Errorf("%w: %q is no migration id (NNNN_name)", ErrLayout, id)
	}
	allow := (&Dir{Files: moved}).Allowed(Migration{idVersion(id), name})
	opts.Allow = append(opts.Allow, allow...)
	u, err := d.Next(s, name, opts)
	if err != nil && !errors.Is(err, ErrNoChanges) {
		return nil, err
	}
	if errors.Is(err, ErrNoChanges) {
		// The other branch made the same changes: the migration goes.
		u.Writes = map[string][]byte{SumFile: Sum(d.Files)}
	}
	for n := range moved {
		if _, ok := u.Writes[n]; !ok {
			u.Removes = append(u.Removes, n)
		}
	}
	slices.Sort(u.Removes)
	return u, nil
}

func idVersion(id string) int {
	v := 0
	fmt.Sscanf(id, "%04d", &v)
	return v
}

// Down plans the migration that undoes the directory's last one, from
// its snapshot back to the one before it, as a new migration (the ledger
// only goes forward), linted like any plan. Renames of the last
// migration are renamed back.
func (d *Dir) Down(name string, opts Options) (*Update, error) {
	n := len(d.Migrations)
	if n == 0 {
		return nil, fmt.Errorf("%w: there is no migration to undo", ErrLayout)
	}
	from, err := d.Snapshot(n)
	if err != nil {
		return nil, err
	}
	to, err := d.Snapshot(n - 1)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = "revert_" + d.Migrations[n-1].Name
	}
	p := New(from, reverseRenames(from, to), opts)
	if len(p.Changes) == 0 {
		return &Update{Plan: p}, ErrNoChanges
	}
	return d.update(&Update{Migration: Migration{n + 1, name}, Plan: p})
}

// reverseRenames returns a copy of to (the earlier snapshot) whose models
// and fields carry renamed(from:) hints naming what from (the later one)
// renamed them to, so that undoing a rename renames back.
func reverseRenames(from, to *ir.Schema) *ir.Schema {
	out := &ir.Schema{Version: to.Version}
	for _, tm := range to.Models {
		m := *tm
		m.RenamedFrom = ""
		m.Fields = nil
		fm := from.Model(tm.Name)
		for _, cand := range from.Models {
			if cand.RenamedFrom == tm.Name && from.Model(tm.Name) == nil {
				fm = cand
				m.RenamedFrom = cand.Name
			}
		}
		for _, tf := range tm.Fields {
			f := *tf
			f.RenamedFrom = ""
			f.RenamedValues = nil
			var ff *ir.Field // tf in from
			if fm != nil {
				ff = fm.Field(tf.Name)
			}
			if fm != nil && ff == nil {
				for _, cand := range fm.Fields {
					if cand.RenamedFrom == tf.Name {
						f.RenamedFrom = cand.Name
						ff = cand
					}
				}
			}
			if ff != nil {
				for _, r := range activeRenames(tf, ff) {
					f.RenamedValues = append(f.RenamedValues, ir.ValueRename{From: r.To, To: r.From})
				}
			}
			m.Fields = append(m.Fields, &f)
		}
		out.Models = append(out.Models, &m)
	}
	return out
}
