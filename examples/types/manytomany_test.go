package types

import (
	"context"
	"testing"
	"time"

	"github.com/ormc/ormc/examples/types/db"
	"github.com/ormc/ormc/internal/testdb"
	"github.com/ormc/ormc/runtime"
)

// TestLinkDefaults: linking rows through a join model of the schema
// (Club.members through Membership) inserts only the two relations, and
// every other field gets the default the schema gives it, as the
// database's DEFAULT stores it, on every database: an Enum's, a DateTime
// set on create, today's Date, a new UUID for each row, a Decimal, and
// NULL. Set leaves the join rows it keeps as they were.
func TestLinkDefaults(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		c := openTypes(t, url)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		club, err := c.Clubs.Create(ctx, &db.Club{})
		must(err)
		ann, err := c.Members.Create(ctx, &db.Member{Name: "Ann"})
		must(err)
		bo, err := c.Members.Create(ctx, &db.Member{Name: "Bo"})
		must(err)
		before := time.Now().Add(-time.Minute)
		must(c.ClubMembers(club).Add(ctx, ann, bo))
		ms, err := c.Memberships.OrderBy(db.MembershipID.Asc()).All(ctx)
		must(err)
		if len(ms) != 2 {
			t.Fatalf("%d memberships, want 2", len(ms))
		}
		for _, m := range ms {
			if m.Role != db.MembershipRoleRegular || m.Dues.String() != "12.50" || m.Note.Valid {
				t.Errorf("membership %d: role %q, dues %s, note %v", m.ID, m.Role, m.Dues, m.Note)
			}
			if m.Joined.Before(before) || m.Joined.After(time.Now().Add(time.Minute)) {
				t.Errorf("membership %d joined at %v", m.ID, m.Joined)
			}
			if m.Since.Year < 2026 || m.Code == (runtime.UUID{}) {
				t.Errorf("membership %d: since %v, code %v", m.ID, m.Since, m.Code)
			}
		}
		if ms[0].Code == ms[1].Code {
			t.Errorf("both memberships have code %v", ms[0].Code)
		}
		// Set keeps Ann's membership, code and all.
		must(c.ClubMembers(club).Set(ctx, ann))
		kept, err := c.Memberships.All(ctx)
		must(err)
		if len(kept) != 1 || kept[0].ID != ms[0].ID || kept[0].Code != ms[0].Code {
			t.Errorf("after Set(ann): %v, want membership %d as it was", kept, ms[0].ID)
		}
		clubs, err := c.MemberClubs(ann).All(ctx)
		must(err)
		if len(clubs) != 1 || clubs[0].ID != club.ID {
			t.Errorf("Ann's clubs: %v", clubs)
		}
	})
}
