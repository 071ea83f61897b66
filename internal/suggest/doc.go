// Package suggest finds the name a misspelt one most likely meant, by edit
// distance. It is the one rule behind every "did you mean" hint: the
// checker's (unknown types, models, options, enum values) and the
// runtime's (unknown fields and lookups in a seed-style lookup string), so
// that both suggest alike. It imports only the standard library.
package suggest
