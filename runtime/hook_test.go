package runtime_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
	"github.com/ormc/ormc/runtime/dialect"
)

// events records the hook's events.
type events struct {
	mu  sync.Mutex
	evs []runtime.QueryEvent
}

func (e *events) hook(_ context.Context, ev runtime.QueryEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.evs = append(e.evs, ev)
}

// take returns the events so far and forgets them.
func (e *events) take() []runtime.QueryEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	evs := e.evs
	e.evs = nil
	return evs
}

// verbs returns the first word of each event's SQL.
func verbs(evs []runtime.QueryEvent) []string {
	var out []string
	for _, ev := range evs {
		v, _, _ := strings.Cut(ev.SQL, " ")
		out = append(out, v)
	}
	return out
}

// TestHookEvents: the hook sees transaction control; a query is reported
// once, when its rows are closed, with the rows read, a duration that
// includes reading them, and an error met while reading them.
func TestHookEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var ev events
		db, notes := openNotesDB(t, url, runtime.WithHook(ev.hook))
		seedNotes(t, notes)
		ev.take()

		// Transactions: BEGIN and COMMIT, or ROLLBACK; savepoints as sent.
		err := db.Tx(ctx, func(tx *runtime.DB) error {
			_, err := runtime.NewQuery[*note](tx, noteTable).Create(ctx, &note{Text: "d"})
			return err
		})
		if got := verbs(ev.take()); err != nil || !slices.Equal(got, []string{"BEGIN", "INSERT", "COMMIT"}) {
			t.Errorf("committed transaction: %v, %v", got, err)
		}
		oops := errors.New("oops")
		err = db.Tx(ctx, func(tx *runtime.DB) error {
			return tx.Tx(ctx, func(*runtime.DB) error { return oops })
		})
		if got := verbs(ev.take()); !errors.Is(err, oops) || !slices.Equal(got, []string{"BEGIN", "SAVEPOINT", "ROLLBACK", "RELEASE", "ROLLBACK"}) {
			t.Errorf("rolled back transaction: %v, %v", got, err)
		}

		// A query is reported when its rows are closed: not while an Iter
		// loop reads them, and after it with the rows read and the time
		// spent reading included.
		pause := 50 * time.Millisecond
		read := 0
		for _, err := range notes.OrderBy(noteID.Asc()).Iter(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if evs := ev.take(); len(evs) != 0 {
				t.Errorf("reported before the rows were closed: %q", evs[0].SQL)
			}
			read++
			time.Sleep(pause)
		}
		evs := ev.take()
		if len(evs) != 1 || evs[0].Rows != 4 || read != 4 || evs[0].Err != nil || evs[0].Duration < 4*pause {
			t.Errorf("iter: %d events %+v", len(evs), evs)
		}
		// A loop that stops early closes the rows too.
		for range notes.Iter(ctx) {
			break
		}
		if evs := ev.take(); len(evs) != 1 || evs[0].Rows != 1 {
			t.Errorf("iter stopped early: %+v", evs)
		}

		// An error met reading the rows is reported.
		d := db.Dialect()
		rows, err := db.Query(ctx, "SELECT "+dialect.Quote(d, "text")+" FROM "+dialect.Quote(d, "notes"))
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		rows.Next()
		serr := rows.Scan(&n)
		rows.Close()
		rows.Close() // once only
		evs = ev.take()
		if serr == nil || len(evs) != 1 || evs[0].Err == nil || evs[0].Rows != 1 {
			t.Errorf("scan error %v: events %+v", serr, evs)
		}

		// Other statements report the rows they affected.
		if _, err := notes.UpdateAll(ctx, noteCompleted.Set(true)); err != nil {
			t.Fatal(err)
		}
		if evs := ev.take(); len(evs) != 1 || evs[0].Rows != 4 {
			t.Errorf("update: %+v", evs)
		}
	})
}
