package schema

// Code is a diagnostic's stable, machine-readable name, such as
// "unknown-type". Tools may depend on codes (ormc check -json prints
// them), while the wording of messages may improve. Every code is a
// constant below and is listed by Codes; lang/spec.md describes each one
// under "Diagnostics", with an example, in the same order.
type Code string

// The codes of the parser (CodeSyntax) and of the checker (the rest).
const (
	CodeSyntax               Code = "syntax"
	CodeUnknownType          Code = "unknown-type"
	CodeUnknownModel         Code = "unknown-model"
	CodeUnknownOption        Code = "unknown-option"
	CodeUnknownParameter     Code = "unknown-parameter"
	CodeUnknownDirective     Code = "unknown-directive"
	CodeUnknownField         Code = "unknown-field"
	CodeBadArgument          Code = "bad-argument"
	CodeDuplicateArgument    Code = "duplicate-argument"
	CodeDuplicateOption      Code = "duplicate-option"
	CodeDuplicateModel       Code = "duplicate-model"
	CodeDuplicateField       Code = "duplicate-field"
	CodeDuplicateTable       Code = "duplicate-table"
	CodeDuplicateColumn      Code = "duplicate-column"
	CodeDuplicateIndex       Code = "duplicate-index"
	CodeGoNameCollision      Code = "go-name-collision"
	CodeBadFieldName         Code = "bad-field-name"
	CodeBadTableName         Code = "bad-table-name"
	CodeNameTooLong          Code = "name-too-long"
	CodeReservedName         Code = "reserved-name"
	CodeUnportableName       Code = "unportable-name"
	CodeMissingPrimaryKey    Code = "missing-primary-key"
	CodeMultiplePrimaryKeys  Code = "multiple-primary-keys"
	CodeNullablePrimaryKey   Code = "nullable-primary-key"
	CodeMissingMaxLength     Code = "missing-max-length"
	CodeMissingPrecision     Code = "missing-precision"
	CodeOptionNotApplicable  Code = "option-not-applicable"
	CodeContradictoryBounds  Code = "contradictory-bounds"
	CodeContradictoryOptions Code = "contradictory-options"
	CodeBadDefault           Code = "bad-default"
	CodeInvalidPattern       Code = "invalid-pattern"
	CodeSetNullNotNullable   Code = "set-null-not-nullable"
	CodeBadRelation          Code = "bad-relation"
	CodeMySQLLimit           Code = "mysql-limit"
	CodeCompositeKeyRelation Code = "composite-key-relation"
)

// codes is every code, in the order of the table in lang/spec.md.
var codes = [...]Code{
	CodeSyntax,
	CodeUnknownType,
	CodeUnknownModel,
	CodeUnknownOption,
	CodeUnknownParameter,
	CodeUnknownDirective,
	CodeUnknownField,
	CodeBadArgument,
	CodeDuplicateArgument,
	CodeDuplicateOption,
	CodeDuplicateModel,
	CodeDuplicateField,
	CodeDuplicateTable,
	CodeDuplicateColumn,
	CodeDuplicateIndex,
	CodeGoNameCollision,
	CodeBadFieldName,
	CodeBadTableName,
	CodeNameTooLong,
	CodeReservedName,
	CodeUnportableName,
	CodeMissingPrimaryKey,
	CodeMultiplePrimaryKeys,
	CodeNullablePrimaryKey,
	CodeMissingMaxLength,
	CodeMissingPrecision,
	CodeOptionNotApplicable,
	CodeContradictoryBounds,
	CodeContradictoryOptions,
	CodeBadDefault,
	CodeInvalidPattern,
	CodeSetNullNotNullable,
	CodeBadRelation,
	CodeMySQLLimit,
	CodeCompositeKeyRelation,
}

// Codes returns every diagnostic code, in the order lang/spec.md lists
// them. The tests read it: each code has a checker test and a spec
// example that produce it, and no diagnostic has a code not in it.
func Codes() []Code { return append([]Code(nil), codes[:]...) }

// The codes of `ormc pull`'s warnings: each names something of a database
// that the language cannot say, which the pulled schema leaves out or
// says differently. lang/spec.md lists them under "Pulling a schema from
// a database", in the order of PullCodes.
const (
	CodeView                Code = "view"
	CodeTrigger             Code = "trigger"
	CodeSequence            Code = "sequence"
	CodeTableOption         Code = "table-option"
	CodeNoPrimaryKey        Code = "no-primary-key"
	CodeCompositePrimaryKey Code = "composite-primary-key"
	CodeKeyNotGenerated     Code = "key-not-generated"
	CodeUnsupportedType     Code = "unsupported-type"
	CodeApproximateType     Code = "approximate-type"
	CodeGeneratedColumn     Code = "generated-column"
	CodeColumnDefault       Code = "column-default"
	CodeCollation           Code = "collation"
	CodeCheckConstraint     Code = "check-constraint"
	CodeExclusionConstraint Code = "exclusion-constraint"
	CodeCompositeForeignKey Code = "composite-foreign-key"
	CodeForeignKeyTarget    Code = "foreign-key-target"
	CodeReferentialAction   Code = "referential-action"
	CodePartialIndex        Code = "partial-index"
	CodeExpressionIndex     Code = "expression-index"
	CodeConstraintName      Code = "constraint-name"
)

// pullCodes is every code of `ormc pull`, in the order of its table in
// lang/spec.md.
var pullCodes = [...]Code{
	CodeView,
	CodeTrigger,
	CodeSequence,
	CodeTableOption,
	CodeNoPrimaryKey,
	CodeCompositePrimaryKey,
	CodeKeyNotGenerated,
	CodeUnsupportedType,
	CodeApproximateType,
	CodeGeneratedColumn,
	CodeColumnDefault,
	CodeCollation,
	CodeCheckConstraint,
	CodeExclusionConstraint,
	CodeCompositeForeignKey,
	CodeForeignKeyTarget,
	CodeReferentialAction,
	CodePartialIndex,
	CodeExpressionIndex,
	CodeConstraintName,
}

// PullCodes returns the codes of `ormc pull`'s warnings, in the order
// lang/spec.md lists them. They are not in Codes: no schema gets them
// from the checker.
func PullCodes() []Code { return append([]Code(nil), pullCodes[:]...) }

// Known reports whether c is one of the codes Codes returns.
func (c Code) Known() bool {
	for _, k := range codes {
		if k == c {
			return true
		}
	}
	return false
}

// The codes of `ormc migrate`'s lint: each names a change between two
// snapshots that may lose data, fail on the rows a table holds, break
// clients still running, or lock a table, in the order lang/spec.md
// lists them under "Migrations". Destructive and data-dependent changes
// are errors unless the migration allows their code (-allow-drop, or a
// "-- ormc:allow" line); the others are warnings.
const (
	// Destructive.
	CodeDropModel Code = "drop-model"
	CodeDropField Code = "drop-field"
	// Data-dependent: the change fails on rows that violate it, which a
	// pre-check query finds before any DDL runs.
	CodeNarrowType    Code = "narrow-type"
	CodeAddNotNull    Code = "add-not-null"
	CodeAddUnique     Code = "add-unique"
	CodeTightenCheck  Code = "tighten-check"
	CodeAddForeignKey Code = "add-foreign-key"
	// Backward-incompatible: clients built from the old schema break.
	CodeRename Code = "rename"
	// Locking: the change rewrites or copies the table.
	CodeTableRewrite Code = "table-rewrite"
	// Renames declared or not.
	CodeUndeclaredRename Code = "undeclared-rename"
	CodeStaleRename      Code = "stale-rename"
	// Refused whatever is allowed.
	CodeChangeKey Code = "change-key"
)

// migrateCodes is every code of `ormc migrate`, in the order of its
// table in lang/spec.md.
var migrateCodes = [...]Code{
	CodeDropModel,
	CodeDropField,
	CodeNarrowType,
	CodeAddNotNull,
	CodeAddUnique,
	CodeTightenCheck,
	CodeAddForeignKey,
	CodeRename,
	CodeTableRewrite,
	CodeUndeclaredRename,
	CodeStaleRename,
	CodeChangeKey,
}

// MigrateCodes returns the codes of `ormc migrate`'s diagnostics, in the
// order lang/spec.md lists them. They are not in Codes: the checker
// gives none of them; the migration planner does, comparing two
// snapshots.
func MigrateCodes() []Code { return append([]Code(nil), migrateCodes[:]...) }
