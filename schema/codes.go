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
}

// Codes returns every diagnostic code, in the order lang/spec.md lists
// them. The tests read it: each code has a checker test and a spec
// example that produce it, and no diagnostic has a code not in it.
func Codes() []Code { return append([]Code(nil), codes[:]...) }

// Known reports whether c is one of the codes Codes returns.
func (c Code) Known() bool {
	for _, k := range codes {
		if k == c {
			return true
		}
	}
	return false
}
