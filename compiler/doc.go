// Package compiler checks parsed .orm files and turns them into the IR
// (package compiler/ir), or into diagnostics: every problem it can find,
// sorted by position, each "file:line:col: message".
//
// The generators live in subpackages: gogen writes the Go client, ddl the
// SQL that creates the tables.
package compiler
