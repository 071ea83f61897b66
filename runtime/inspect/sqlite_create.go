package inspect

import (
	"slices"
	"strings"
)

// createTable is what SQLite's pragmas do not say about a table, read
// from its CREATE TABLE text: the names of its constraints, its CHECKs,
// column collations and generated columns, and its table options.
type createTable struct {
	pkName       string
	pkDesc       bool // the primary key is declared DESC, which makes an INTEGER one no rowid alias
	columns      []createColumn
	uniques      []namedColumns
	foreignKeys  []createForeignKey
	checks       []createCheck
	withoutRowID bool
	strict       bool
}

type createColumn struct {
	name, collation, generated string
}

type namedColumns struct {
	name    string
	columns []string
}

type createForeignKey struct {
	namedColumns
	refTable string
}

type createCheck struct {
	name, expr string
}

// column returns the column called name, or nil.
func (c *createTable) column(name string) *createColumn {
	for i := range c.columns {
		if strings.EqualFold(c.columns[i].name, name) {
			return &c.columns[i]
		}
	}
	return nil
}

// uniqueName returns the name CREATE TABLE gave the UNIQUE constraint on
// cols, or "".
func (c *createTable) uniqueName(cols []string) string {
	for _, u := range c.uniques {
		if slices.EqualFunc(u.columns, cols, strings.EqualFold) {
			return u.name
		}
	}
	return ""
}

// foreignKeyName returns the name CREATE TABLE gave the foreign key on
// cols to ref, or "".
func (c *createTable) foreignKeyName(cols []string, ref string) string {
	for _, fk := range c.foreignKeys {
		if strings.EqualFold(fk.refTable, ref) && slices.EqualFunc(fk.columns, cols, strings.EqualFold) {
			return fk.name
		}
	}
	return ""
}

// parseCreateTable reads a CREATE TABLE statement as SQLite stores it.
// It reads what it understands and skips the rest: SQLite has already
// accepted the text, and the pragmas say the rest.
func parseCreateTable(text string) *createTable {
	ct := &createTable{}
	toks := scanExpr(text, false)
	// The body is the first parenthesised group.
	open := slices.IndexFunc(toks, func(t token) bool { return t.kind == tokOp && t.text == "(" })
	if open < 0 {
		return ct
	}
	closing := matchParen(toks, open)
	for _, t := range toks[min(closing+1, len(toks)):] {
		switch {
		case t.kind == tokWord && t.text == "rowid":
			ct.withoutRowID = true
		case t.kind == tokWord && t.text == "strict":
			ct.strict = true
		}
	}
	body := toks[open+1 : closing]
	for len(body) > 0 {
		end := 0
		for depth := 0; end < len(body); end++ {
			if t := body[end]; t.kind == tokOp {
				if t.text == "(" {
					depth++
				} else if t.text == ")" {
					depth--
				} else if t.text == "," && depth == 0 {
					break
				}
			}
		}
		ct.item(text, body[:end])
		if end < len(body) {
			end++
		}
		body = body[end:]
	}
	return ct
}

// matchParen returns the index of the token closing the parenthesis at
// toks[open], or len(toks) when none does.
func matchParen(toks []token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch toks[i].text {
		case "(":
			if toks[i].kind == tokOp {
				depth++
			}
		case ")":
			if toks[i].kind == tokOp {
				depth--
				if depth == 0 {
					return i
				}
			}
		}
	}
	return len(toks)
}

// nameList reads a parenthesised list of names at toks[i], returning
// them and the index after it.
func nameList(toks []token, i int) ([]string, int) {
	if i >= len(toks) || toks[i].text != "(" {
		return nil, i
	}
	end := matchParen(toks, i)
	var names []string
	for _, t := range toks[i+1 : end] {
		if t.kind == tokName || t.kind == tokWord {
			if t.kind == tokWord && (t.text == "asc" || t.text == "desc" || t.text == "collate") {
				continue
			}
			names = append(names, t.text)
		}
	}
	return names, end + 1
}

// nameText returns a name token's text as SQLite has it: quoted names
// verbatim, bare ones as written (scanExpr lower-cases words).
func nameText(text string, t token) string {
	if t.kind == tokWord {
		return text[t.pos:t.end]
	}
	return t.text
}

// item reads one column definition or table constraint.
func (ct *createTable) item(text string, toks []token) {
	if len(toks) == 0 {
		return
	}
	switch first := toks[0]; {
	case first.kind == tokWord && (first.text == "constraint" || first.text == "primary" || first.text == "unique" ||
		first.text == "check" || first.text == "foreign"):
		ct.constraints(text, toks, nil)
	default:
		col := createColumn{name: nameText(text, first)}
		i := 1
		for i < len(toks) && !isColumnConstraint(toks[i]) {
			i++
		}
		ct.constraints(text, toks[i:], &col)
		ct.columns = append(ct.columns, col)
	}
}

func isColumnConstraint(t token) bool {
	if t.kind != tokWord {
		return false
	}
	switch t.text {
	case "constraint", "primary", "not", "null", "unique", "check", "default", "collate", "references", "generated", "as":
		return true
	}
	return false
}

// constraints reads a run of constraints: a table constraint when col is
// nil, else the constraints of column col.
func (ct *createTable) constraints(text string, toks []token, col *createColumn) {
	name := ""
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tokWord {
			if t.text == "(" {
				i = matchParen(toks, i)
			}
			continue
		}
		switch t.text {
		case "constraint":
			if i+1 < len(toks) {
				name = nameText(text, toks[i+1])
				i++
			}
			continue
		case "primary":
			ct.pkName = name
			for j := i + 1; j < len(toks) && j < i+4; j++ {
				if toks[j].kind == tokWord && toks[j].text == "desc" {
					ct.pkDesc = true
				}
			}
			if col == nil {
				_, i = nameList(toks, i+2)
				i--
			}
		case "unique":
			if col != nil {
				ct.uniques = append(ct.uniques, namedColumns{name: name, columns: []string{col.name}})
			} else {
				var cols []string
				cols, i = nameList(toks, i+1)
				i--
				ct.uniques = append(ct.uniques, namedColumns{name: name, columns: cols})
			}
		case "check":
			if i+1 < len(toks) && toks[i+1].text == "(" {
				end := matchParen(toks, i+1)
				ct.checks = append(ct.checks, createCheck{name: name, expr: strings.TrimSpace(text[toks[i+1].end:posOf(text, toks, end)])})
				i = end
			}
		case "foreign":
			var cols []string
			cols, i = nameList(toks, i+2) // FOREIGN KEY (…)
			if i < len(toks) && toks[i].text == "references" && i+1 < len(toks) {
				ct.foreignKeys = append(ct.foreignKeys, createForeignKey{namedColumns{name, cols}, nameText(text, toks[i+1])})
				i++
			}
		case "references":
			if col != nil && i+1 < len(toks) {
				ct.foreignKeys = append(ct.foreignKeys, createForeignKey{namedColumns{name, []string{col.name}}, nameText(text, toks[i+1])})
				i++
			}
		case "collate":
			if col != nil && i+1 < len(toks) {
				col.collation = nameText(text, toks[i+1])
				i++
			}
		case "as":
			if col != nil && i+1 < len(toks) && toks[i+1].text == "(" {
				end := matchParen(toks, i+1)
				col.generated = strings.TrimSpace(text[toks[i+1].end:posOf(text, toks, end)])
				i = end
			}
		case "default":
			if i > 0 && toks[i-1].text == "set" {
				continue // ON DELETE SET DEFAULT
			}
			// Skip the value: a parenthesised expression, a signed number
			// or one token.
			if i+1 < len(toks) && toks[i+1].text == "(" {
				i = matchParen(toks, i+1)
			} else if i+1 < len(toks) && (toks[i+1].text == "-" || toks[i+1].text == "+") {
				i += 2
			} else {
				i++
			}
		default:
			continue
		}
		name = ""
	}
}

// posOf returns where toks[i] starts in text, or the end of text when i
// is past the last token.
func posOf(text string, toks []token, i int) int {
	if i < len(toks) {
		return toks[i].pos
	}
	return len(text)
}
