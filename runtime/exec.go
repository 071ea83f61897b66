package runtime

import (
	"context"
	"fmt"
)

// ExecAll runs statements in order, stopping at the first failure, whose
// error names the statement.
func ExecAll(ctx context.Context, db *DB, stmts []string) error {
	for _, s := range stmts {
		if _, err := db.exec(ctx, s, nil); err != nil {
			return fmt.Errorf("ormc: %s: %w", firstLine(s), err)
		}
	}
	return nil
}

func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
