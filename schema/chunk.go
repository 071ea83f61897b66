package schema

// Chunks: Parse cuts the token stream before each model and parses each
// piece on its own, so that every broken model reports its own error and the
// good ones still parse, and so that large files parse in parallel.

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// chunk is the run of tokens from one top-level "model" keyword to the next.
// The chunks of a file cover it without gaps.
type chunk struct {
	toks  []token
	start int  // offset where the chunk starts (0 for the first)
	end   int  // offset where the next chunk starts, or len(src)
	last  bool // no chunk follows
}

// chunkResult is what parsing one chunk gives.
type chunkResult struct {
	models []*Model
	syntax []parseError // the syntax errors participle stopped at, in order
	errs   List         // other errors: bad escapes in strings
}

// parseError is a syntax error found by the parser, with the offset where
// the construct it is in (the member, or the model header) starts: a
// lexical error between the two explains it, and it is then not reported.
type parseError struct {
	d    *Diagnostic
	from int
	at   int // offset of the token the parser stopped at
}

// split cuts the token stream before each "model" keyword that starts a
// model: one followed by `Name "<"` or `Name "table" "<"`, or one outside
// any model that starts the file or follows a ">". A field named model is
// inside a model and is followed by a type, so it never starts a chunk.
func (s *scanner) split() []chunk {
	if oneParse {
		return []chunk{{toks: s.toks, end: len(s.src), last: true}}
	}
	n := 1
	for _, t := range s.toks {
		if s.is(t, tokIdent, "model") {
			n++
		}
	}
	var (
		chunks = make([]chunk, 0, n) // sized once: garbage may hold millions
		from   int
		start  int
		depth  int  // "<" nesting
		prev   = -1 // index of the last token that is not a separator
	)
	for i, t := range s.toks {
		if i > from && s.isModelStart(i, depth, prev) {
			chunks = append(chunks, chunk{toks: s.toks[from:i], start: start, end: t.Off()})
			from, start, depth = i, t.Off(), 0
		}
		switch {
		case s.is(t, tokPunct, "<"):
			depth++
		case s.is(t, tokPunct, ">") && depth > 0:
			depth--
		}
		if !s.isSep(t) {
			prev = i
		}
	}
	return append(chunks, chunk{toks: s.toks[from:], start: start, end: len(s.src), last: true})
}

func (s *scanner) isModelStart(i, depth, prev int) bool {
	if !s.is(s.toks[i], tokIdent, "model") {
		return false
	}
	if depth == 0 && (prev < 0 || s.is(s.toks[prev], tokPunct, ">")) {
		return true
	}
	at := func(j int, typ lexer.TokenType, val string) bool {
		return j < len(s.toks) && s.is(s.toks[j], typ, val)
	}
	return at(i+1, tokIdent, "") && (at(i+2, tokPunct, "<") || at(i+2, tokString, "") && at(i+3, tokPunct, "<"))
}

// is reports whether t has type typ and, unless v is empty, text v.
func (s *scanner) is(t token, typ lexer.TokenType, v string) bool {
	return t.Type() == typ && (v == "" || s.text(t) == v)
}

func (s *scanner) isSep(t token) bool { return t.Type() == tokNewline || s.is(t, tokPunct, ";") }

func isPunct(t lexer.Token, v string) bool { return t.Type == tokPunct && t.Value == v }

func isSep(t lexer.Token) bool { return t.Type == tokNewline || isPunct(t, ";") }

// tokenLexer feeds the tokens of a chunk to participle, ending with EOF.
// On the way it drops the newlines inside parentheses, where they mean
// nothing, and keeps only the first of each run of separators, so that a
// long run of blank lines is one token for the parser.
//
// It also ends the chunk early, just after a token that cannot be valid
// where it is: anything but "model" before the model, more than a name and
// a table name before "<", "(" inside parentheses, a second "<", ">" inside
// parentheses, anything but separators after ">". Participle fails at that
// token or before it anyway, and ending there keeps it from loading the
// rest of a large garbage chunk.
//
// And it feeds a model's body a window at a time: after bodyWindow tokens
// it ends at the next separator outside parentheses (phase 5), and the
// parse goes on from there as after a syntax error (see parseChunk).
// Participle loads all its input before it parses, so without windows each
// of up to 100 resumed parses would load the rest of a large model again.
type tokenLexer struct {
	s *scanner
	c chunk
	// prefix holds tokens to return before c.toks[i:]: `model Name <` when
	// the parse resumes inside a model after a syntax error (see resume).
	prefix  []lexer.Token
	i       int  // next index in c.toks
	last    int  // index in c.toks of the token last returned; -1 for a prefix token or EOF
	lastSep bool // the last token returned was a separator
	phase   int  // 0 before "model", 1 in the header, 2 in the body, 3 after ">", 4 done, 5 window full
	header  int  // tokens read after "model"
	depth   int  // parenthesis nesting
	body    int  // tokens of the body returned
}

// oneParse makes Parse give the whole file to one participle parse: no
// chunks, no early end, no windows. Tests set it to check that those
// change no tree that participle's grammar gives.
var oneParse = false

// bodyWindow is how many tokens of a model's body one participle parse
// reads at least; a variable so that tests can make every window small.
var bodyWindow = 512

func (l *tokenLexer) Next() (lexer.Token, error) {
	if len(l.prefix) > 0 {
		t := l.prefix[0]
		l.prefix, l.last = l.prefix[1:], -1
		return t, nil
	}
	for ; l.i < len(l.c.toks) && l.phase < 4; l.i++ {
		t := l.c.toks[l.i]
		if t.Type() == tokNewline && l.depth > 0 {
			continue
		}
		sep := l.s.isSep(t)
		if sep && l.lastSep {
			continue
		}
		l.last = l.i
		l.i++
		l.lastSep = sep
		l.track(t, sep)
		return lexer.Token{Type: t.Type(), Value: l.s.text(t), Pos: lexer.Position{Filename: l.s.filename, Offset: t.Off()}}, nil
	}
	l.last = -1
	return lexer.EOFToken(lexer.Position{Filename: l.s.filename, Offset: l.c.end}), nil
}

// track follows the structure of the chunk; see tokenLexer.
func (l *tokenLexer) track(t token, sep bool) {
	punct := func(v string) bool { return l.s.is(t, tokPunct, v) }
	ok := true
	switch l.phase {
	case 0, 3:
		switch {
		case l.s.is(t, tokIdent, "model"):
			l.phase, l.header = 1, 0
		case !sep:
			ok = false
		}
	case 1:
		l.header++
		switch {
		case punct("<"):
			l.phase = 2
		case sep || l.header > 2:
			ok = false
		}
	case 2:
		switch {
		case punct("("):
			l.depth++
			ok = l.depth == 1
		case punct(")") && l.depth > 0:
			l.depth--
		case punct("<"):
			ok = false
		case punct(">"):
			l.phase = 3
			ok = l.depth == 0
		}
	}
	if oneParse {
		return
	}
	if !ok {
		l.phase = 4
	}
	if l.phase == 2 {
		l.body++
		if sep && l.depth == 0 && l.body >= bodyWindow {
			l.phase = 5
		}
	}
}

// windowEnd reports whether the lexer ended at the end of a window, and
// not at the end of the chunk or after a token that cannot be valid.
func (l *tokenLexer) windowEnd() bool { return l.phase == 5 }

// parseChunks parses the chunks, on several goroutines when there are many,
// and returns their results in order. Parsing is deterministic either way:
// each chunk is parsed alone and only reads the scanner.
//
// Chunks are taken in order, and once more than maxErrors errors have been
// found no more are taken: every chunk not taken lies after the point where
// Parse stops reporting, so its result would not be used.
func parseChunks(s *scanner, chunks []chunk) []*chunkResult {
	results := make([]*chunkResult, len(chunks)) // nil for the chunks not taken
	workers := min(runtime.GOMAXPROCS(0), len(chunks)/64+1)
	var next, errCount atomic.Int64
	work := func() {
		for errCount.Load() <= maxErrors {
			i := int(next.Add(1) - 1)
			if i >= len(chunks) {
				return
			}
			r := parseChunk(s, chunks[i])
			n := len(r.errs) + len(r.syntax) // never fewer than Parse will count for the chunk
			errCount.Add(int64(n))
			results[i] = &r
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	return results
}

// parseChunk parses and converts one chunk. A panic, in participle or here,
// becomes a syntax error, so that Parse never panics.
//
// After a syntax error inside a model the parse resumes (see resume), so
// that one run reports the errors of several members and the members after
// a broken one are still checked. The model and the member the error is in
// are marked Bad.
func parseChunk(s *scanner, c chunk) (r chunkResult) {
	defer func() {
		if x := recover(); x != nil {
			r.syntax = append(r.syntax, parseError{d: s.syntaxErr(c.start, c.start, "internal error: cannot parse this model"), from: c.start, at: c.start})
		}
	}()
	lx := &tokenLexer{s: s, c: c}
	var into *Model // the model a resumed parse continues
	for {
		start := *lx // for replaying the tokens up to an error
		pl, err := lexer.Upgrade(lx)
		if err != nil {
			panic(err)
		}
		g, err := parser.ParseFromLexer(pl)
		window := err != nil && lx.windowEnd() && atEOF(err, c)
		cp := &converter{s: s}
		var models []*Model
		if g != nil {
			for _, gm := range g.Models {
				if m := cp.model(gm); m != nil {
					models = append(models, m)
				}
			}
		}
		r.errs = append(r.errs, cp.errs...)
		cur := into
		if into != nil && len(models) > 0 {
			// The resumed parse read `model Name <` and the rest of the
			// body: its members belong to the model it continues.
			into.Members = append(into.Members, models[0].Members...)
			end := models[0].EndPos
			if models[0].Bad {
				// Not closed: its name and "<" are the prefix, not text.
				end = into.EndPos
				for _, mem := range models[0].Members {
					if _, e := memberSpan(mem); e.Offset > end.Offset {
						end = e
					}
				}
			}
			if end.Offset > into.EndPos.Offset {
				into.EndPos = end
			}
			into.Bad = into.Bad || models[0].Bad && !window
			models = models[1:]
		}
		if len(models) > 0 {
			cur = models[len(models)-1]
			if window && into == nil {
				cur.Bad = false // the model only went on past the window
			}
		}
		r.models = append(r.models, models...)
		if err == nil {
			return r
		}
		if window && cur != nil {
			// Not an error: the parse goes on after the window.
			lx, into = resumeAt(s, c, cur.Name.Name, lx.i), cur
			continue
		}
		pe, next := syntaxError(s, start, err)
		r.syntax = append(r.syntax, pe)
		if cur != nil && cur.Bad {
			for _, mem := range cur.Members {
				if o := mem.Start().Offset; o >= pe.from && o <= pe.at {
					mem.setBad()
				}
			}
		}
		if next == nil || cur == nil || len(r.syntax) > maxErrors {
			return r
		}
		lx, into = next, cur
	}
}

// atEOF reports whether participle stopped at the end of its input.
func atEOF(err error, c chunk) bool {
	var perr participle.Error
	return errors.As(err, &perr) && perr.Position().Offset == c.end
}

// resumeAt returns a lexer that goes on with the body of model name at
// c.toks[i] (i > 0), as if it followed `model name <`. The prefix is placed
// at the token before, so that it comes before any error the parse finds.
func resumeAt(s *scanner, c chunk, name string, i int) *tokenLexer {
	pos := lexer.Position{Filename: s.filename, Offset: c.toks[min(i, len(c.toks))-1].Off()}
	prefix := []lexer.Token{
		{Type: tokIdent, Value: "model", Pos: pos},
		{Type: tokIdent, Value: name, Pos: pos},
		{Type: tokPunct, Value: "<", Pos: pos},
	}
	return &tokenLexer{s: s, c: c, prefix: prefix, i: i, phase: 2}
}
