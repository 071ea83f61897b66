package schema

// The lexer rules and the participle grammar. Everything here is
// unexported: Parse lexes (lex.go), feeds the tokens to this parser one
// model at a time (chunk.go) and converts these structs into the public AST
// of ast.go (parse.go), so no participle type escapes.
//
// The grammar structs are named after the productions they define, because
// participle derives the EBNF that Grammar returns (and lang/spec.md quotes)
// from the type names: `model` becomes the production "Model", `typeRef`
// becomes "TypeRef", and so on.

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// lexRules are the token rules, tried in this order at every position. The
// first rule that matches wins. Comment and Whitespace are elided before
// parsing; Newline is significant because it separates members.
var lexRules = []lexer.SimpleRule{
	{Name: "Comment", Pattern: `//[^\n]*`},
	{Name: "Whitespace", Pattern: `[ \t\r]+`},
	{Name: "Newline", Pattern: `\n`},
	{Name: "String", Pattern: `"(\\.|[^"\\\n])*"`},
	{Name: "Number", Pattern: `[-+]?\d+(\.\d+)?([eE][-+]?\d+)?`},
	{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
	{Name: "Punct", Pattern: `[<>;(),:]`},
}

var lexDef = lexer.MustSimple(lexRules)

// Token types, looked up once.
var (
	tokComment    = lexDef.Symbols()["Comment"]
	tokWhitespace = lexDef.Symbols()["Whitespace"]
	tokNewline    = lexDef.Symbols()["Newline"]
	tokString     = lexDef.Symbols()["String"]
	tokNumber     = lexDef.Symbols()["Number"]
	tokIdent      = lexDef.Symbols()["Ident"]
	tokPunct      = lexDef.Symbols()["Punct"]
)

// parser is the participle parser for one .orm file, or one chunk of it.
//
// UseLookahead(0) makes every choice final once it has consumed a token, so
// errors are reported where they are: with participle's default of 1, an
// argument list broken right after its "(" (`String( >`) backtracks and the
// error lands on the "(". The two places that need to look further ahead,
// a directive (Ident "(") and a named argument (Ident ":"), and the trailing
// comma say so with lookahead groups. TestParse's err_args covers this.
var parser = participle.MustBuild[file](
	participle.Lexer(lexDef),
	participle.Elide("Comment", "Whitespace"),
	participle.Union[member](&directive{}, &field{}),
	participle.UseLookahead(0),
)

// file is the root production. Before parsing, newlines inside parentheses
// are dropped and runs of separators are cut to one token (tokenLexer in
// chunk.go), so the grammar need not mention either.
type file struct {
	Lead   []*sep   `parser:"@@*"`
	Models []*model `parser:"( @@"`
	Trail  []*sep   `parser:"  @@* )*"`
}

// model is `model Name "table" < members >`. The keyword is an Ident token
// with the value "model": it is a keyword only here, so a field may be named
// model.
type model struct {
	Pos     lexer.Position
	Tokens  []lexer.Token
	Keyword string      `parser:"@\"model\":Ident"`
	Name    lexer.Token `parser:"@Ident"`
	Table   lexer.Token `parser:"@String?"`
	Open    string      `parser:"@\"<\""`
	Lead    []*sep      `parser:"@@*"`
	First   member      `parser:"( @@"`
	Seps    []*sep      `parser:"  ( @@+"`
	More    []member    `parser:"    @@? )* )?"`
	Close   string      `parser:"@\">\""`
}

// member is a *directive or a *field. The directive is tried first: both
// start with an Ident, and only a directive continues with "(".
type member interface{ grammarMember() }

func (*directive) grammarMember() {}
func (*field) grammarMember()     {}

// directive is a model-level declaration such as `index(a, b)`.
type directive struct {
	Pos    lexer.Position
	Tokens []lexer.Token
	Ahead  string      `parser:"(?= Ident \"(\")"`
	Name   lexer.Token `parser:"@Ident"`
	Args   *args       `parser:"@@"`
}

// field is `name Type(args) attr attr(args)`.
type field struct {
	Pos    lexer.Position
	Tokens []lexer.Token
	Name   lexer.Token `parser:"@Ident"`
	Type   *typeRef    `parser:"@@"`
	Attrs  []*attr     `parser:"@@*"`
}

// typeRef is a field type with optional arguments.
type typeRef struct {
	Pos  lexer.Position
	Name lexer.Token `parser:"@Ident"`
	Args *args       `parser:"@@?"`
}

// attr is a field attribute with optional arguments.
type attr struct {
	Pos  lexer.Position
	Name lexer.Token `parser:"@Ident"`
	Args *args       `parser:"@@?"`
}

// args is a parenthesised argument list; a trailing comma is allowed. The
// negative lookahead keeps a trailing comma from starting another argument.
type args struct {
	Pos    lexer.Position
	Tokens []lexer.Token
	Open   string `parser:"@\"(\""`
	List   []*arg `parser:"( @@ ( (?! \",\" \")\") \",\" @@ )* \",\"? )?"`
	Close  string `parser:"@\")\""`
}

// arg is a positional or named argument.
type arg struct {
	Pos   lexer.Position
	Name  lexer.Token `parser:"( (?= Ident \":\") @Ident \":\" )?"`
	Value *value      `parser:"@@"`
}

// value is a literal or a bare word.
type value struct {
	Pos    lexer.Position
	String *string `parser:"  @String"`
	Number *string `parser:"| @Number"`
	Ident  *string `parser:"| @Ident"`
}

// sep separates members (and models): a ";" or a newline.
type sep struct {
	Tok string `parser:"@( \";\" | Newline )"`
}

// Grammar returns the grammar of the .orm language in participle's EBNF
// notation. lang/spec.md quotes it verbatim, and a test keeps the two in step.
func Grammar() string { return parser.String() }
