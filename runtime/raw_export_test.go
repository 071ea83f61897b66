package runtime

// RewriteRaw exports rewriteRaw to the tests of package runtime_test.
var RewriteRaw = rewriteRaw
