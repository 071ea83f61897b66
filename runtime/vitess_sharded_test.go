package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestVitessSharded runs the client's reads and writes on a table of a
// Vitess keyspace with two shards, declared as an operator would
// (docs/scaling.md): sharded by a hash of its key, the key drawn from a
// Vitess sequence, a one-row table of an unsharded keyspace. Keys come
// back from Create and BulkCreate as the stored rows' (LAST_INSERT_ID is
// the sequence's), rows land on both shards, reads by key go to one
// shard and the others scatter with the same answers as on one server,
// and a transaction that writes both shards commits or rolls back whole.
func TestVitessSharded(t *testing.T) {
	sharded, unsharded := testdb.VitessSharded(t)
	ctx := context.Background()
	uks, ks := keyspaceOf(t, unsharded), keyspaceOf(t, sharded)
	seq := relOpen(t, unsharded)
	if err := runtime.ExecAll(ctx, seq, []string{
		"CREATE TABLE `notes_seq` (`id` INT, `next_id` BIGINT, `cache` BIGINT, PRIMARY KEY (`id`)) COMMENT 'vitess_sequence'",
		"INSERT INTO `notes_seq` (`id`, `next_id`, `cache`) VALUES (0, 1, 100)",
		"ALTER VSCHEMA ADD SEQUENCE `" + uks + "`.`notes_seq`",
	}); err != nil {
		t.Fatal(err)
	}
	db := relOpen(t, sharded)
	if err := runtime.ExecAll(ctx, db, []string{
		createNotes["mysql"],
		"ALTER VSCHEMA ON `" + ks + "`.`notes` ADD VINDEX `hash`(`id`) USING `hash`",
		"ALTER VSCHEMA ON `" + ks + "`.`notes` ADD AUTO_INCREMENT `id` USING `" + uks + "`.`notes_seq`",
	}); err != nil {
		t.Fatal(err)
	}
	notes := runtime.NewQuery[*note](db, noteTable)

	// The vschema reaches vtgate a moment after ALTER VSCHEMA returns.
	var first *note
	var err error
	for range 50 {
		if first, err = notes.Create(ctx, &note{Text: "n000"}); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	want := map[int64]string{first.ID: first.Text}
	ranks := map[int64]int64{} // rank → rows
	for i := 1; i < 20; i++ {
		ranks[int64(i%3)]++
		n, err := notes.Create(ctx, &note{Text: fmt.Sprintf("n%03d", i), Rank: runtime.Some(int64(i % 3))})
		if err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		want[n.ID] = n.Text
	}
	bulk := make([]*note, 200)
	for i := range bulk {
		ranks[int64(i%3)]++
		bulk[i] = &note{Text: fmt.Sprintf("n%03d", 20+i), Rank: runtime.Some(int64(i % 3))}
	}
	if err := notes.BulkCreate(ctx, bulk); err != nil {
		t.Fatalf("bulk create: %v", err)
	}
	for _, n := range bulk {
		want[n.ID] = n.Text
	}
	if len(want) != 220 {
		t.Fatalf("%d distinct keys for 220 rows", len(want))
	}
	// Each key is its row's: read back by key, a route to one shard.
	for id, text := range want {
		got, err := notes.Get(ctx, noteID.Eq(id))
		if err != nil || got.Text != text {
			t.Fatalf("Get(%d) = %+v, %v; want %q", id, got, err, text)
		}
	}
	// Both shards hold rows, and together all of them.
	perShard := rowsPerShard(t, sharded, noteTable)
	if perShard[0] == 0 || perShard[1] == 0 || perShard[0]+perShard[1] != 220 {
		t.Errorf("rows per shard %v, want both shards used and 220 in all", perShard)
	}

	// Scattered reads answer as one server would.
	if n, err := notes.Filter(noteRank.Eq(1)).Count(ctx); err != nil || n != ranks[1] {
		t.Errorf("count of rank 1: %d, %v; want %d", n, err, ranks[1])
	}
	page, err := notes.Filter(noteText.StartsWith("n1")).OrderBy(noteText.Desc()).Limit(3).All(ctx)
	if err != nil || len(page) != 3 || page[0].Text != "n199" || page[2].Text != "n197" {
		t.Errorf("the last three of n1…: %v, %v", noteTexts(page), err)
	}
	if s, err := runtime.Sum(ctx, notes.Filter(noteRank.Gt(0)), &noteRank); err != nil || !s.Valid || s.V != ranks[1]+2*ranks[2] {
		t.Errorf("sum of ranks: %v, %v; want %d", s, err, ranks[1]+2*ranks[2])
	}
	var paged []string
	for after := ""; ; {
		rows, next, err := notes.Filter(noteText.StartsWith("n0")).OrderBy(noteText.Asc()).Page(ctx, after, 40)
		if err != nil {
			t.Fatalf("page: %v", err)
		}
		paged = append(paged, noteTexts(rows)...)
		if next == "" {
			break
		}
		after = next
	}
	if len(paged) != 100 || !slices.IsSorted(paged) || paged[0] != "n000" {
		t.Errorf("pages of n0…: %d rows, sorted %v", len(paged), slices.IsSorted(paged))
	}

	// Writes by condition scatter too.
	if n, err := notes.Filter(noteRank.Eq(2)).UpdateAll(ctx, noteCompleted.Set(true)); err != nil || n != ranks[2] {
		t.Errorf("UpdateAll of rank 2: %d, %v; want %d", n, err, ranks[2])
	}
	if n, err := notes.Filter(noteCompleted.Eq(true)).Count(ctx); err != nil || n != ranks[2] {
		t.Errorf("completed: %d, %v; want %d", n, err, ranks[2])
	}

	// A transaction over both shards: whole or not at all.
	a, b := firstOnEachShard(t, ctx, sharded, ks)
	// setBoth sets the text of both rows in tx, then returns end.
	setBoth := func(text string, end error) func(tx *runtime.DB) error {
		return func(tx *runtime.DB) error {
			m := runtime.NewQuery[*note](tx, noteTable)
			for _, id := range []int64{a, b} {
				if err := m.Update(ctx, &note{ID: id}, noteText.Set(text)); err != nil {
					return err
				}
			}
			return end
		}
	}
	boom := errors.New("boom")
	if err := db.Tx(ctx, setBoth("rolled back", boom)); !errors.Is(err, boom) {
		t.Fatalf("the failing transaction: %v", err)
	}
	if n, err := notes.Filter(noteText.Eq("rolled back")).Count(ctx); err != nil || n != 0 {
		t.Errorf("after a rolled back transaction over two shards: %d rows changed, %v", n, err)
	}
	err = db.Tx(ctx, setBoth("both", nil))
	if n, cerr := notes.Filter(noteText.Eq("both")).Count(ctx); err != nil || cerr != nil || n != 2 {
		t.Errorf("a committed transaction over two shards: %v; %d rows changed, %v", err, n, cerr)
	}
	if n, err := notes.Filter(noteID.In(a, b)).DeleteAll(ctx); err != nil || n != 2 {
		t.Errorf("DeleteAll of two shards' rows: %d, %v", n, err)
	}
}

// keyspaceOf is the keyspace a Vitess URL names.
func keyspaceOf(t *testing.T, url string) string {
	t.Helper()
	path := url[strings.LastIndex(url, "/")+1:]
	ks, _, _ := strings.Cut(path, "?")
	if ks == "" {
		t.Fatalf("no keyspace in %q", url)
	}
	return ks
}

// firstOnEachShard returns a key stored on each of the two shards.
func firstOnEachShard(t *testing.T, ctx context.Context, sharded, ks string) (int64, int64) {
	t.Helper()
	var ids []int64
	for _, shard := range testdb.ShardURLs(t, sharded) {
		n, err := runtime.NewQuery[*note](relOpen(t, shard), noteTable).OrderBy(noteID.Asc()).First(ctx)
		if err != nil {
			t.Fatalf("a row of shard %s: %v", shard, err)
		}
		ids = append(ids, n.ID)
	}
	return ids[0], ids[1]
}

// rowsPerShard counts the rows of table on each shard of the sharded
// keyspace at sharded.
func rowsPerShard(t *testing.T, sharded string, table *runtime.Table) []int64 {
	t.Helper()
	var out []int64
	for _, shard := range testdb.ShardURLs(t, sharded) {
		n, err := runtime.NewQuery[any](relOpen(t, shard), table).Count(context.Background())
		if err != nil {
			t.Fatalf("count on %s: %v", shard, err)
		}
		out = append(out, n)
	}
	return out
}

func noteTexts(rows []*note) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Text
	}
	return out
}
