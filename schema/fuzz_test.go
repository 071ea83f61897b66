package schema

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2"
	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzParse checks that Parse never panics and always returns a File and,
// on error, a List; that the hand-written scanner agrees with the
// participle lexer built from lexRules; that cutting model bodies into
// windows changes nothing (checkWindows); that cutting the file into
// models accepts what one parse accepts (checkOneParse); and that when
// Parse succeeds, Format
// gives output that parses, formats to itself, keeps every comment and
// keeps each doc comment on its declaration (checkFormat).
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
		checkWindows(t, src)
		checkOneParse(t, src)
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

// checkWindows parses src with windows of one token, so that the parse of
// every model goes on after each separator of its body, and requires the
// same tree (with every position) and the same errors as one window.
func checkWindows(t *testing.T, src []byte) {
	t.Helper()
	dump := func(window int) string {
		defer func(w int) { bodyWindow = w }(bodyWindow)
		bodyWindow = window
		f, err := Parse("in.orm", src)
		var b bytes.Buffer
		Dump(&b, f)
		if err != nil {
			err.(List).Print(&b, 0)
		}
		return b.String()
	}
	if small, whole := dump(1), dump(len(src)+1); small != whole {
		t.Fatalf("windows of one token and one window disagree\n--- small\n%s--- whole\n%s", small, whole)
	}
}

// checkOneParse checks that cutting the file into models (split), ending
// a chunk early and parsing bodies in windows (tokenLexer) accept exactly
// the files that one participle parse of the whole file accepts, with the
// same tree. Only files without lexical errors count: those are dropped
// before parsing either way, and reported alike.
func checkOneParse(t *testing.T, src []byte) {
	t.Helper()
	parse := func(one bool) (string, error) {
		defer func() { oneParse = false }()
		oneParse = one
		f, err := Parse("in.orm", src)
		var b bytes.Buffer
		Dump(&b, f)
		return b.String(), err
	}
	s := newScanner("in.orm", src)
	s.scan()
	if len(s.errs) > 0 {
		return
	}
	chunked, errChunked := parse(false)
	one, errOne := parse(true)
	if (errChunked == nil) != (errOne == nil) {
		t.Fatalf("chunked parse: %v; one parse: %v", errChunked, errOne)
	}
	if errOne == nil && chunked != one {
		t.Fatalf("chunked parse and one parse disagree\n--- chunked\n%s--- one\n%s", chunked, one)
	}
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

// TestSizeLimit checks that a source larger than 1 MiB, the limit
// lang/spec.md states, gets one diagnostic and is not parsed, and that one
// of exactly 1 MiB is parsed.
func TestSizeLimit(t *testing.T) {
	const limit = 1 << 20
	model := []byte("model M < id Integer pk >\n")
	over := bytes.Repeat(model, limit/len(model)+1)
	f, err := Parse("big.orm", over)
	var list List
	if !errors.As(err, &list) || len(list) != 1 || f == nil || !f.Partial || len(f.Models) != 0 {
		t.Fatalf("Parse of %d bytes = %v models, %v; want one diagnostic and no model", len(over), f != nil && len(f.Models) > 0, err)
	}
	want := fmt.Sprintf("big.orm:1:1: file is too large: %d bytes, the limit is 1048576 (1 MiB) (split the schema into several files)", len(over))
	if list[0].Error() != want || list[0].Code != "syntax" {
		t.Errorf("got %q (code %s), want %q", list[0].Error(), list[0].Code, want)
	}
	// At the limit: one model and a comment, which is quick to parse.
	at := append(model, "//"...)
	at = append(at, bytes.Repeat([]byte("x"), limit-len(at))...)
	if f, err := Parse("big.orm", at); err != nil || len(f.Models) != 1 {
		t.Errorf("Parse of %d bytes: %v", len(at), err)
	}
}

// TestLargeInputs parses a valid schema and several kinds of garbage of
// maxSource bytes: they must give errors, not a crash, within an
// allocation budget per byte of input (a time limit would depend on the
// machine). The budgets are about 1.5 times what Parse needs today: the
// valid schema takes about 530 bytes and 6.5 allocations per byte of
// input, participle's branch contexts and reflection; garbage stops
// participle early and takes the 12-byte tokens and little else. A model
// whose members each resume the parse after an error (resumes) took 25 KB
// per byte and a minute, when each resumed parse loaded the rest of the
// model again.
func TestLargeInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs in -short mode")
	}
	const size = maxSource
	var valid bytes.Buffer
	const m = "/// A model.\nmodel M <\n  id    Integer pk // key\n  name  String(100, min_length: 1)\n" +
		"  price Decimal(10, 2) default(-1.5)\n  index(name, price)\n>\n\n"
	for valid.Len()+len(m) <= size {
		valid.WriteString(m)
	}
	t.Run("valid", func(t *testing.T) {
		var err error
		bytesPer, allocsPer := allocated(len(valid.Bytes()), func() { _, err = Parse("valid.orm", valid.Bytes()) })
		if err != nil {
			t.Errorf("valid input: %v", err)
		}
		t.Logf("%.1f bytes and %.3f allocations per byte", bytesPer, allocsPer)
		if bytesPer > 800 || allocsPer > 10 {
			t.Errorf("Parse of 1 MiB of valid schema: %.1f bytes and %.2f allocations per byte of input, want at most 800 and 10", bytesPer, allocsPer)
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
		"open args":   append([]byte("model A < a B"), bytes.Repeat([]byte("("), size-13)...),
		"quotes":      bytes.Repeat([]byte(`"\`), size/2),
		"newlines":    append(append([]byte("model A <"), bytes.Repeat([]byte("\n"), size-10)...), '>'),
		"doc lines":   append(bytes.Repeat([]byte("///\n"), (size-10)/4), "model A <>"...),
		// 101 members that each resume the parse, then a long valid body.
		"resumes": append(append([]byte("model A <"), bytes.Repeat([]byte("a B 5;"), (size-10)/6)...), '>'),
	} {
		t.Run(name, func(t *testing.T) {
			var (
				f   *File
				err error
			)
			bytesPer, allocsPer := allocated(len(src), func() { f, err = Parse(name, src) })
			var list List
			if f == nil || err != nil && !errors.As(err, &list) || len(list) > maxErrors+1 {
				t.Errorf("Parse = %v, %d errors, %v", f != nil, len(list), err)
			}
			if len(list) > 0 && strings.HasPrefix(list[0].Msg, "file is too large") {
				t.Fatalf("%d bytes: %v", len(src), list[0])
			}
			t.Logf("%.1f bytes and %.3f allocations per byte", bytesPer, allocsPer)
			if bytesPer > 64 || allocsPer > 0.05 {
				t.Errorf("Parse of 1 MiB: %.1f bytes and %.3f allocations per byte of input, want at most 64 and 0.05", bytesPer, allocsPer)
			}
		})
	}
}

// allocated runs f and returns the bytes and the allocations it made per
// byte of an input of n bytes.
func allocated(n int, f func()) (bytesPer, allocsPer float64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(n), float64(after.Mallocs-before.Mallocs) / float64(n)
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
