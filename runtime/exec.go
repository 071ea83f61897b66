package runtime

import (
	"context"
	"fmt"

	"github.com/ormc/ormc/runtime/dialect"
)

// ExecAll runs statements in order, stopping at the first failure, whose
// error names the statement. They are DDL as compiler/ddl writes it for
// db's dialect, which an engine that lacks some of it gets rewritten
// (dialect.AdaptDDL: TiDB's collation and defaults).
func ExecAll(ctx context.Context, db *DB, stmts []string) error {
	for _, s := range stmts {
		s = dialect.AdaptDDL(db.Dialect(), s)
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
