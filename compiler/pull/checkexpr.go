package pull

// Reading CHECK constraints back. ormc writes one CHECK per column for an
// Enum's values and a number's bounds (compiler/ddl's checkExpr); each
// database then returns it in its own normal form:
//
//	PostgreSQL  ((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))
//	            ((stars >= 0) AND (stars <= 5)), ((price >= (0)::numeric))
//	MariaDB     `kind` in ('a','b'), `stars` >= 0 and `stars` <= 5
//	TiDB        (`kind` in (_utf8mb4'a',_utf8mb4'b')), as MySQL 8
//	SQLite      the text as written: "kind" IN ('a', 'b'), CAST("price" AS REAL) >= 0
//
// parseCheck reads any of these into the column it constrains and the
// values or bounds it states. Anything else (OR, functions, two columns)
// is not ormc's and is reported, not guessed at.

import (
	"fmt"
	"math/big"
	"strings"
)

// checkRule is what a CHECK that ormc could have written says about one
// column.
type checkRule struct {
	Column string
	Values []string // an Enum's values, in the order written; nil for none
	Min    string   // lower bound as a decimal number, "" for none
	Max    string
	MinEx  bool // the lower bound is exclusive
	MaxEx  bool
	Cast   bool // the column was compared as CAST(col AS REAL): a Decimal kept as text on SQLite
}

// parseCheck reads expr, a CHECK constraint's expression with or without
// the CHECK keyword. backslash says that \ escapes in string literals
// (MySQL and MariaDB).
func parseCheck(expr string, backslash bool) (*checkRule, error) {
	toks, err := lexCheck(expr, backslash)
	if err != nil {
		return nil, err
	}
	p := &checkParser{toks: toks}
	if p.peekWord("CHECK") {
		p.pos++
	}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos].text)
	}
	r := &checkRule{}
	for _, c := range flattenAnd(n) {
		if err := r.add(c); err != nil {
			return nil, err
		}
	}
	if r.Column == "" {
		return nil, fmt.Errorf("no column")
	}
	return r, nil
}

// add records one conjunct.
func (r *checkRule) add(n *checkNode) error {
	if n == nil || n.kind != nodeCmp && n.kind != nodeIn {
		return fmt.Errorf("not a comparison")
	}
	col, cast, ok := columnOf(n.left)
	if !ok {
		return fmt.Errorf("not a comparison of one column")
	}
	if r.Column != "" && r.Column != col {
		return fmt.Errorf("more than one column")
	}
	r.Column = col
	r.Cast = r.Cast || cast
	switch {
	case n.kind == nodeIn || n.kind == nodeCmp && n.op == "=" && unwrap(n.right).kind == nodeAny:
		items := n.items
		if n.kind == nodeCmp {
			arr := unwrap(unwrap(n.right).left)
			if arr.kind != nodeArray {
				return fmt.Errorf("= ANY of no array")
			}
			items = arr.items
		}
		if r.Values != nil {
			return fmt.Errorf("two lists of values")
		}
		r.Values = []string{}
		for _, it := range items {
			it = unwrap(it)
			if it.kind != nodeString {
				return fmt.Errorf("a value that is not a string")
			}
			r.Values = append(r.Values, it.text)
		}
		return nil
	case n.kind == nodeCmp && n.op == "=" && unwrap(n.right).kind == nodeString && r.Values == nil:
		r.Values = []string{unwrap(n.right).text}
		return nil
	case n.kind == nodeCmp:
		num, ok := numberOf(n.right)
		if !ok {
			return fmt.Errorf("a comparison with %s, not a number", n.right.text)
		}
		switch n.op {
		case ">=", ">":
			if r.Min != "" {
				return fmt.Errorf("two lower bounds")
			}
			r.Min, r.MinEx = num, n.op == ">"
		case "<=", "<":
			if r.Max != "" {
				return fmt.Errorf("two upper bounds")
			}
			r.Max, r.MaxEx = num, n.op == "<"
		default:
			return fmt.Errorf("operator %s", n.op)
		}
		return nil
	}
	return fmt.Errorf("not a comparison")
}

// columnOf returns the column n names, through casts and parentheses,
// and whether it was CAST( AS REAL).
func columnOf(n *checkNode) (string, bool, bool) {
	n = unwrap(n)
	if n == nil {
		return "", false, false
	}
	cast := false
	if n.kind == nodeCast {
		if !strings.EqualFold(n.text, "REAL") {
			return "", false, false
		}
		cast = true
		n = unwrap(n.left)
	}
	if n.kind != nodeIdent {
		return "", false, false
	}
	return n.text, cast, true
}

// numberOf returns n as a decimal number: a literal, a string holding one
// ('-5'::integer), a negated one, or any of these in parentheses or cast.
func numberOf(n *checkNode) (string, bool) {
	n = unwrap(n)
	neg := false
	if n != nil && n.kind == nodeNeg {
		neg = true
		n = unwrap(n.left)
	}
	if n == nil || n.kind != nodeNumber && n.kind != nodeString {
		return "", false
	}
	text := strings.TrimSpace(n.text)
	if _, ok := new(big.Rat).SetString(text); !ok || strings.ContainsAny(text, "/xXpP_") {
		return "", false
	}
	if neg {
		if strings.HasPrefix(text, "-") {
			text = text[1:]
		} else {
			text = "-" + strings.TrimPrefix(text, "+")
		}
	}
	return text, true
}

// unwrap removes parentheses and PostgreSQL's ::type casts around n.
func unwrap(n *checkNode) *checkNode {
	for n != nil && (n.kind == nodeParen || n.kind == nodeTypeCast) {
		n = n.left
	}
	return n
}

func flattenAnd(n *checkNode) []*checkNode {
	n = unwrap(n)
	if n.kind != nodeAnd {
		return []*checkNode{n}
	}
	var out []*checkNode
	for _, it := range n.items {
		out = append(out, flattenAnd(it)...)
	}
	return out
}

// ---------------------------------------------------------------------------
// The expression tree and its parser.

type nodeKind int

const (
	nodeIdent    nodeKind = iota // text: the name, unquoted
	nodeString                   // text: the value, unescaped
	nodeNumber                   // text: as written
	nodeNeg                      // -left
	nodeParen                    // (left)
	nodeTypeCast                 // left::text
	nodeCast                     // CAST(left AS text)
	nodeArray                    // ARRAY[items]
	nodeAny                      // ANY (left)
	nodeCmp                      // left op right
	nodeIn                       // left IN (items)
	nodeAnd                      // items joined by AND
)

type checkNode struct {
	kind        nodeKind
	text, op    string
	left, right *checkNode
	items       []*checkNode
}

type checkParser struct {
	toks  []checkToken
	pos   int
	depth int // of nested parentheses, casts and negations
}

// maxCheckDepth bounds the nesting parseCheck follows: ormc's CHECKs
// nest three deep, and a hostile catalog must not exhaust the stack.
const maxCheckDepth = 64

func (p *checkParser) peek() checkToken {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return checkToken{}
}

func (p *checkParser) peekWord(w string) bool {
	t := p.peek()
	return t.kind == tokWord && strings.EqualFold(t.text, w)
}

func (p *checkParser) peekPunct(s string) bool {
	t := p.peek()
	return t.kind == tokPunct && t.text == s
}

func (p *checkParser) expect(s string) error {
	if !p.peekPunct(s) {
		return fmt.Errorf("expected %q, found %q", s, p.peek().text)
	}
	p.pos++
	return nil
}

// expr is a list of terms joined by AND.
func (p *checkParser) expr() (*checkNode, error) {
	first, err := p.term()
	if err != nil {
		return nil, err
	}
	items := []*checkNode{first}
	for p.peekWord("AND") {
		p.pos++
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		items = append(items, t)
	}
	if len(items) == 1 {
		return first, nil
	}
	return &checkNode{kind: nodeAnd, items: items}, nil
}

// term is an operand, optionally compared with another or tested with IN.
func (p *checkParser) term() (*checkNode, error) {
	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	switch {
	case t.kind == tokPunct && isCmp(t.text):
		p.pos++
		right, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &checkNode{kind: nodeCmp, op: t.text, left: left, right: right}, nil
	case p.peekWord("IN"):
		p.pos++
		items, err := p.list("(", ")")
		if err != nil {
			return nil, err
		}
		return &checkNode{kind: nodeIn, left: left, items: items}, nil
	}
	return left, nil
}

func isCmp(s string) bool {
	switch s {
	case "=", "<", ">", "<=", ">=", "<>", "!=":
		return true
	}
	return false
}

// list is open, operands separated by commas, close.
func (p *checkParser) list(open, close string) ([]*checkNode, error) {
	if err := p.expect(open); err != nil {
		return nil, err
	}
	var items []*checkNode
	for !p.peekPunct(close) {
		if len(items) > 0 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		it, err := p.operand()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	p.pos++
	return items, nil
}

// operand is a primary followed by any number of ::type casts.
func (p *checkParser) operand() (*checkNode, error) {
	n, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.peekPunct("::") {
		p.pos++
		typ, err := p.typeName()
		if err != nil {
			return nil, err
		}
		n = &checkNode{kind: nodeTypeCast, text: typ, left: n}
	}
	return n, nil
}

// typeName reads a type such as "character varying", "text[]" or
// "numeric(10,2)".
func (p *checkParser) typeName() (string, error) {
	var words []string
	for p.peek().kind == tokWord && !p.peekWord("AND") && !p.peekWord("AS") && !p.peekWord("IN") {
		words = append(words, p.peek().text)
		p.pos++
	}
	if len(words) == 0 {
		return "", fmt.Errorf("expected a type, found %q", p.peek().text)
	}
	if p.peekPunct("(") {
		for !p.peekPunct(")") && p.pos < len(p.toks) {
			p.pos++
		}
		if err := p.expect(")"); err != nil {
			return "", err
		}
	}
	for p.peekPunct("[") {
		p.pos++
		if err := p.expect("]"); err != nil {
			return "", err
		}
	}
	return strings.Join(words, " "), nil
}

func (p *checkParser) primary() (*checkNode, error) {
	if p.depth++; p.depth > maxCheckDepth {
		return nil, fmt.Errorf("nested more than %d deep", maxCheckDepth)
	}
	defer func() { p.depth-- }()
	t := p.peek()
	switch {
	case t.kind == tokPunct && t.text == "(":
		p.pos++
		inner, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return &checkNode{kind: nodeParen, left: inner}, nil
	case t.kind == tokPunct && t.text == "-":
		p.pos++
		inner, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &checkNode{kind: nodeNeg, left: inner}, nil
	case t.kind == tokString:
		p.pos++
		return &checkNode{kind: nodeString, text: t.text}, nil
	case t.kind == tokNumber:
		p.pos++
		return &checkNode{kind: nodeNumber, text: t.text}, nil
	case t.kind == tokQuoted:
		p.pos++
		return &checkNode{kind: nodeIdent, text: t.text}, nil
	case p.peekWord("ARRAY"):
		p.pos++
		items, err := p.list("[", "]")
		if err != nil {
			return nil, err
		}
		return &checkNode{kind: nodeArray, items: items}, nil
	case p.peekWord("ANY"):
		p.pos++
		if err := p.expect("("); err != nil {
			return nil, err
		}
		inner, err := p.operand()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return &checkNode{kind: nodeAny, left: inner}, nil
	case p.peekWord("CAST"):
		p.pos++
		if err := p.expect("("); err != nil {
			return nil, err
		}
		inner, err := p.operand()
		if err != nil {
			return nil, err
		}
		if !p.peekWord("AS") {
			return nil, fmt.Errorf("expected AS in CAST")
		}
		p.pos++
		typ, err := p.typeName()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return &checkNode{kind: nodeCast, text: typ, left: inner}, nil
	case t.kind == tokWord:
		p.pos++
		if p.peekPunct("(") {
			return nil, fmt.Errorf("function %s", t.text)
		}
		return &checkNode{kind: nodeIdent, text: t.text}, nil
	}
	if t.text == "" {
		return nil, fmt.Errorf("unexpected end of expression")
	}
	return nil, fmt.Errorf("unexpected %q", t.text)
}

// ---------------------------------------------------------------------------
// Tokens.

type tokKind int

const (
	tokWord   tokKind = iota + 1 // a bare identifier or keyword
	tokQuoted                    // "name", `name` or [name], unquoted
	tokString                    // 'text', unescaped
	tokNumber
	tokPunct
)

type checkToken struct {
	kind tokKind
	text string
}

func lexCheck(s string, backslash bool) ([]checkToken, error) {
	var toks []checkToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("unterminated string")
				}
				if backslash && s[j] == '\\' && j+1 < len(s) {
					b.WriteByte(s[j+1])
					j += 2
					continue
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			toks = append(toks, checkToken{tokString, b.String()})
			i = j + 1
		case c == '"' || c == '`' || c == '[' && (len(toks) == 0 || toks[len(toks)-1].kind != tokWord):
			end := c
			if c == '[' {
				end = ']'
			}
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("unterminated name")
				}
				if s[j] == end {
					if end != ']' && j+1 < len(s) && s[j+1] == end {
						b.WriteByte(end)
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			toks = append(toks, checkToken{tokQuoted, b.String()})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' ||
				(s[j] == 'e' || s[j] == 'E') ||
				(s[j] == '-' || s[j] == '+') && j > i && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			toks = append(toks, checkToken{tokNumber, s[i:j]})
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '$' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' ||
				s[j] >= '0' && s[j] <= '9' || s[j] >= 0x80) {
				j++
			}
			if c == '_' && j < len(s) && s[j] == '\'' {
				// A character set introducer (_utf8mb4'x', which MySQL 8
				// and TiDB write): the literal after it is what counts.
				i = j
				continue
			}
			toks = append(toks, checkToken{tokWord, s[i:j]})
			i = j
		default:
			for _, op := range []string{"::", "<=", ">=", "<>", "!="} {
				if strings.HasPrefix(s[i:], op) {
					toks = append(toks, checkToken{tokPunct, op})
					i += len(op)
					goto next
				}
			}
			if strings.ContainsRune("()[],=<>-+", rune(c)) {
				toks = append(toks, checkToken{tokPunct, string(c)})
				i++
				continue
			}
			return nil, fmt.Errorf("unexpected character %q", c)
		next:
		}
	}
	return toks, nil
}
