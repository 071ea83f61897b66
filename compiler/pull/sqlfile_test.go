package pull_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ormc/ormc/runtime"
)

// splitSQL cuts a script into statements at the semicolons outside
// strings, quoted names and comments, and drops the comments. backslash
// says that \ escapes in strings (MySQL).
func splitSQL(script string, backslash bool) []string {
	var stmts []string
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			stmts = append(stmts, s)
		}
		cur.Reset()
	}
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(script) {
				if backslash && c == '\'' && script[j] == '\\' {
					j += 2
					continue
				}
				if script[j] == c {
					if j+1 < len(script) && script[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			cur.WriteString(script[i:min(j+1, len(script))])
			i = j
		case c == '/' && strings.HasPrefix(script[i:], "/*"):
			end := strings.Index(script[i+2:], "*/")
			if end < 0 {
				i = len(script)
			} else {
				i += end + 3
			}
		case c == '-' && strings.HasPrefix(script[i:], "--"):
			end := strings.IndexByte(script[i:], '\n')
			if end < 0 {
				i = len(script)
			} else {
				i += end
			}
		case c == ';':
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return stmts
}

// loadSQL runs the statements of a script file on db.
func loadSQL(t *testing.T, ctx context.Context, db *runtime.DB, path string, backslash bool) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range splitSQL(string(src), backslash) {
		if _, err := db.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v\n%.300s", path, err, stmt)
		}
	}
}
