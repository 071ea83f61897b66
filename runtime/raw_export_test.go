package runtime

// RewriteRaw exports rewriteRaw to the tests of package runtime_test.
var RewriteRaw = rewriteRaw

// HasRawRules reports whether the rewriting of raw SQL knows the lexical
// rules of the dialect named name.
func HasRawRules(name string) bool {
	_, ok := rawRulesByDialect[name]
	return ok
}
