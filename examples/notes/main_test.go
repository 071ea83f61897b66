package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/ormc/ormc/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// TestWalkthrough runs the seed's Note walkthrough on every dialect and
// compares what it prints, which holds no keys, with the golden output.
func TestWalkthrough(t *testing.T) {
	want, err := os.ReadFile("testdata/walkthrough.txt")
	if err != nil {
		t.Fatal(err)
	}
	testdb.Each(t, func(t *testing.T, url string) {
		var out bytes.Buffer
		if err := run(context.Background(), url, &out); err != nil {
			t.Fatalf("walkthrough: %v\noutput so far:\n%s", err, out.String())
		}
		// Skip the first line: it names the database.
		got := out.Bytes()[bytes.IndexByte(out.Bytes(), '\n')+1:]
		if !bytes.Equal(got, want) {
			t.Errorf("output differs from testdata/walkthrough.txt:\n%s", got)
		}
	})
}
