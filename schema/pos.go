package schema

import (
	"fmt"
	"path/filepath"
)

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// bytes. The zero Pos is invalid and prints as "-".
type Pos struct {
	File   string // file name as given to Parse
	Offset int    // byte offset, 0-based
	Line   int    // line number, 1-based
	Col    int    // column (byte), 1-based
}

// IsValid reports whether p points into a file.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String returns "file:line:col", "line:col" without a file, or "-".
func (p Pos) String() string {
	if !p.IsValid() {
		if p.File != "" {
			return p.File
		}
		return "-"
	}
	if p.File == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Before reports whether p sorts before q: by file, then offset.
func (p Pos) Before(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// RelativeTo returns p with its file name made relative to dir and written
// with forward slashes, so that printed diagnostics do not depend on the
// machine. Names that cannot be made relative are kept as they are.
func (p Pos) RelativeTo(dir string) Pos {
	if p.File == "" || dir == "" || !filepath.IsAbs(p.File) {
		p.File = filepath.ToSlash(p.File)
		return p
	}
	if rel, err := filepath.Rel(dir, p.File); err == nil && !startsWithDotDot(rel) {
		p.File = rel
	}
	p.File = filepath.ToSlash(p.File)
	return p
}

func startsWithDotDot(rel string) bool {
	return rel == ".." || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator)
}
