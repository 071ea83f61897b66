// Package pull writes a schema (.orm) from the description of a live
// database that runtime/inspect reads: the text behind `ormc pull`.
//
// ormc's own constructs come back as themselves (an Enum's or a bound's
// CHECK becomes the Enum or the bound, default names give no name:),
// and everything the language cannot say is a warning, with a stable
// code, both in the returned list and as a comment in the file above the
// model it concerns. The output is in canonical form: `ormc fmt` leaves it
// unchanged.
package pull
