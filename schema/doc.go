// Package schema is the front end of ormc: it lexes and parses .orm files
// into an AST whose every node carries its position, reports problems as a
// List of Diagnostics ("file:line:col: message"), and prints files back in
// canonical form for `ormc fmt`.
//
// The parser is built with participle, which stays inside this package: no
// participle type or error is visible to callers.
package schema
