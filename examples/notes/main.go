// Command notes runs the Note walkthrough of encode/orm's README with the
// client ormc generates from ../notes.orm, printing each step.
//
//	go run ./notes                       # a fresh SQLite file
//	go run ./notes -db postgresql://postgres@127.0.0.1:5432/test
package main

//go:generate go run github.com/ormc/ormc/cmd/ormc build -o db ../notes.orm

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ormc/ormc/examples/notes/db"
)

func main() {
	url := flag.String("db", "", "database URL (default: a new SQLite file in a temporary directory)")
	flag.Parse()
	if *url == "" {
		dir, err := os.MkdirTemp("", "ormc-notes-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer os.RemoveAll(dir)
		*url = "sqlite:///" + filepath.Join(dir, "db.sqlite")
	}
	if err := run(context.Background(), *url, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "notes:", err)
		os.Exit(1)
	}
}

// run opens the database, runs the walkthrough on fresh tables and drops
// them again. Every step checks its own result.
func run(ctx context.Context, url string, w io.Writer) (err error) {
	client, err := db.Open(ctx, url)
	if err != nil {
		return err
	}
	defer client.Close()
	fmt.Fprintf(w, "# Open a %s database\n", client.DB().Dialect().Name())
	if err := client.CreateTables(ctx); err != nil {
		return err
	}
	defer func() {
		if derr := client.DropTables(context.WithoutCancel(ctx)); err == nil {
			err = derr
		}
	}()
	fmt.Fprintln(w, "# CreateTables")
	return walkthrough(ctx, client, w)
}

func walkthrough(ctx context.Context, client *db.Client, w io.Writer) error {
	step := func(s string) { fmt.Fprintf(w, "\n# %s\n", s) }
	show := func(notes []*db.Note) {
		for _, n := range notes {
			fmt.Fprintf(w, "  %q completed=%v\n", n.Text, n.Completed)
		}
	}

	step("Create three notes")
	var created []*db.Note
	for _, n := range []db.Note{
		{Text: "Buy the groceries.", Completed: false},
		{Text: "Call Mum.", Completed: true},
		{Text: "Send invoices.", Completed: true},
	} {
		note, err := client.Notes.Create(ctx, &n)
		if err != nil {
			return err
		}
		if note.ID == 0 {
			return fmt.Errorf("create %q: no primary key assigned", n.Text)
		}
		created = append(created, note)
		fmt.Fprintf(w, "  created %q\n", note.Text)
	}

	step("All()")
	notes, err := client.Notes.OrderBy(db.NoteID.Asc()).All(ctx)
	if err != nil {
		return err
	}
	show(notes)
	if err := expectCount("all", notes, 3); err != nil {
		return err
	}

	step("Filter(NoteCompleted.Eq(true))")
	notes, err = client.Notes.Filter(db.NoteCompleted.Eq(true)).OrderBy(db.NoteID.Asc()).All(ctx)
	if err != nil {
		return err
	}
	show(notes)
	if err := expectCount("completed", notes, 2); err != nil {
		return err
	}

	step(`Filter(NoteText.IContains("mum"))`)
	notes, err = client.Notes.Filter(db.NoteText.IContains("mum")).All(ctx)
	if err != nil {
		return err
	}
	show(notes)
	if err := expectCount("icontains", notes, 1); err != nil {
		return err
	}
	if notes[0].Text != "Call Mum." {
		return fmt.Errorf("icontains: got %q", notes[0].Text)
	}

	step(`Where("text__icontains", "MUM"), the seed's spelling`)
	notes, err = client.Notes.Where("text__icontains", "MUM").All(ctx)
	if err != nil {
		return err
	}
	show(notes)
	if err := expectCount("where icontains", notes, 1); err != nil {
		return err
	}

	step("Get(NoteID.Eq(id of the first note))")
	note, err := client.Notes.Get(ctx, db.NoteID.Eq(created[0].ID))
	if err != nil {
		return err
	}
	show([]*db.Note{note})
	if note.Text != "Buy the groceries." {
		return fmt.Errorf("get by id: got %q", note.Text)
	}

	step("Update(note, NoteCompleted.Set(true)): the value said once, the column alone written")
	if err := client.Notes.Update(ctx, note, db.NoteCompleted.Set(true)); err != nil {
		return err
	}
	if !note.Completed {
		return errors.New("update: the assignment was not applied to the row")
	}
	again, err := client.Notes.Get(ctx, db.NoteID.Eq(note.ID))
	if err != nil {
		return err
	}
	show([]*db.Note{again})
	if !again.Completed {
		return errors.New("update: completed is still false")
	}

	step("Delete(note)")
	if err := client.Notes.Delete(ctx, note); err != nil {
		return err
	}
	n, err := client.Notes.Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %d notes left\n", n)
	if n != 2 {
		return fmt.Errorf("delete: %d notes left, want 2", n)
	}

	step(`Where("pk", id of the second note): 'pk' always means the primary key`)
	note, err = client.Notes.Where("pk", created[1].ID).Get(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  note.PK() == created[1].ID: %v (%q)\n", note.PK() == created[1].ID, note.Text)
	if note.PK() != created[1].ID {
		return fmt.Errorf("get by pk: got key %d, want %d", note.PK(), created[1].ID)
	}

	step("Get of a deleted note")
	_, err = client.Notes.Get(ctx, db.NoteID.Eq(created[0].ID))
	fmt.Fprintf(w, "  errors.Is(err, db.ErrNotFound): %v\n", errors.Is(err, db.ErrNotFound))
	if !errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("get of a deleted note: want ErrNotFound, got %v", err)
	}

	step("Get(NoteCompleted.Eq(true)) with two matches")
	_, err = client.Notes.Get(ctx, db.NoteCompleted.Eq(true))
	fmt.Fprintf(w, "  errors.Is(err, db.ErrMultipleFound): %v\n", errors.Is(err, db.ErrMultipleFound))
	if !errors.Is(err, db.ErrMultipleFound) {
		return fmt.Errorf("get with two matches: want ErrMultipleFound, got %v", err)
	}

	step(`Create(&Note{Text: ""}): validated before any SQL is sent`)
	_, err = client.Notes.Create(ctx, &db.Note{})
	var verr *db.ValidationError
	fmt.Fprintf(w, "  %v\n", err)
	if !errors.As(err, &verr) {
		return fmt.Errorf("create blank note: want *ValidationError, got %v", err)
	}
	return nil
}

func expectCount(what string, notes []*db.Note, want int) error {
	if len(notes) != want {
		return fmt.Errorf("%s: got %d notes, want %d", what, len(notes), want)
	}
	return nil
}
