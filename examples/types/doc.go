// Package types holds the client generated from ../types.orm, a model with
// every type ormc supports, and the test that every value comes back
// exactly as it went in on every database.
package types

//go:generate go run github.com/ormc/ormc/cmd/ormc build -o db ../types.orm
