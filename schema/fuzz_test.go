package schema

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/alecthomas/participle/v2"
	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzParse checks that Parse never panics and always returns a File and,
// on error, a List; that the hand-written scanner agrees with the
// participle lexer built from lexRules; and that when Parse succeeds, Format
// gives output that parses, formats to itself and keeps every comment.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, s := range ar.Files {
			if s.Name == "in.orm" || s.Name == "out.orm" {
				f.Add(s.Data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkScanner(t, src)
		file, err := Parse("in.orm", src)
		if file == nil {
			t.Fatal("Parse returned a nil *File")
		}
		if err != nil {
			if _, ok := err.(List); !ok {
				t.Fatalf("error is a %T, want schema.List", err)
			}
			return
		}
		checkSpans(t, src, file)
		checkFormat(t, src)
	})
}

// checkScanner compares tokenAt with the participle lexer made from
// lexRules: the same tokens, and a bad byte where that lexer fails.
func checkScanner(t *testing.T, src []byte) {
	t.Helper()
	lx, err := lexDef.LexString("in.orm", string(src))
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; ; {
		want, err := lx.Next()
		if err != nil {
			var perr participle.Error
			if !errors.As(err, &perr) || perr.Position().Offset != off {
				t.Fatalf("participle lexer fails at %v, we are at offset %d", err, off)
			}
			if typ, _, _ := tokenAt(string(src[off:])); typ != 0 {
				t.Fatalf("offset %d: participle lexer fails, tokenAt finds a token", off)
			}
			return
		}
		if want.EOF() {
			if off != len(src) {
				t.Fatalf("participle lexer ends at %d, want %d", off, len(src))
			}
			return
		}
		typ, n, _ := tokenAt(string(src[off:]))
		if want.Pos.Offset != off || typ != want.Type || n != len(want.Value) {
			t.Fatalf("offset %d: tokenAt gives type %d length %d, participle lexer %d %q at %d",
				off, typ, n, want.Type, want.Value, want.Pos.Offset)
		}
		off += n
	}
}

// TestLargeInputs parses 10 MB of valid schema and 10 MB of several kinds
// of garbage. There is no time limit: the test is that they finish (in
// seconds, not minutes) with errors rather than a crash.
func TestLargeInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs in -short mode")
	}
	const size = 10 << 20
	var valid bytes.Buffer
	for i := 0; valid.Len() < size; i++ {
		valid.WriteString("/// A model.\nmodel M <\n  id    Integer pk // key\n  name  String(100, min_length: 1)\n" +
			"  price Decimal(10, 2) default(-1.5)\n  index(name, price)\n>\n\n")
	}
	t.Run("valid", func(t *testing.T) {
		if _, err := Parse("valid.orm", valid.Bytes()); err != nil {
			t.Errorf("valid input: %v", err)
		}
	})

	random := make([]byte, size)
	var x uint32 = 1
	for i := range random {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		random[i] = byte(x)
	}
	for name, src := range map[string][]byte{
		"random":      random,
		"parens":      bytes.Repeat([]byte("("), size),
		"angles":      bytes.Repeat([]byte("<"), size),
		"open models": bytes.Repeat([]byte("model A <"), size/9),
		"open args":   append([]byte("model A < a B"), bytes.Repeat([]byte("("), size)...),
		"quotes":      bytes.Repeat([]byte(`"\`), size/2),
		"newlines":    append(append([]byte("model A <"), bytes.Repeat([]byte("\n"), size)...), '>'),
		"doc lines":   append(bytes.Repeat([]byte("///\n"), size/4), "model A <>"...),
	} {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(name, src)
			var list List
			if f == nil || err != nil && !errors.As(err, &list) || len(list) > maxErrors+1 {
				t.Errorf("Parse = %v, %d errors, %v", f != nil, len(list), err)
			}
		})
	}
}

// TestTooManyErrors checks that Parse stops after maxErrors errors, at the
// same point however the chunks were spread over goroutines: the File holds
// the models before the error that was one too many.
func TestTooManyErrors(t *testing.T) {
	src := bytes.Repeat([]byte("model A < a B >\nmodel B < a >\n"), 5000)
	for range 5 {
		f, err := Parse("many.orm", src)
		list, _ := err.(List)
		if len(list) != maxErrors+1 || list[maxErrors].Msg != "too many errors" || list[maxErrors].Pos.Line != 202 {
			t.Fatalf("got %d errors, last %v", len(list), list[len(list)-1])
		}
		if len(f.Models) != 2*(maxErrors+1) {
			t.Fatalf("got %d models, want %d", len(f.Models), 2*(maxErrors+1))
		}
	}
}
