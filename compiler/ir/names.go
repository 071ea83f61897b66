package ir

import "strings"

// Words appends to dst the words of a schema name: it splits at
// underscores and at lower-to-upper case changes, and leaves out empty
// words. The default table name (SnakeName) and the generators' names
// are made of them.
func Words(dst []string, name string) []string {
	start := 0
	for i := 0; i <= len(name); i++ {
		switch {
		case i == len(name) || name[i] == '_':
			if start < i {
				dst = append(dst, name[start:i])
			}
			start = i + 1
		case i > start && name[i] >= 'A' && name[i] <= 'Z' && name[i-1] >= 'a' && name[i-1] <= 'z':
			dst = append(dst, name[start:i])
			start = i
		}
	}
	return dst
}

// SnakeName returns the snake_case form of a schema name, the default
// table name of a model: "TrackArtist" → "track_artist".
func SnakeName(name string) string {
	var buf [8]string
	words := Words(buf[:0], name)
	var b strings.Builder
	b.Grow(len(name) + len(words))
	for i, w := range words {
		if i > 0 {
			b.WriteByte('_')
		}
		for j := 0; j < len(w); j++ {
			c := w[j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ModelName returns the model name a table gives back, the inverse of
// SnakeName for the tables SnakeName makes: the table's words, after
// anything but ASCII letters and digits is made a word break, each with
// an upper-case first letter ("playlist_track" → "PlaylistTrack",
// "InvoiceLine" → "InvoiceLine"); "T" goes in front of a name that would
// not start with a letter. ormc pull names models with it, and the DDL
// records a model's name where it differs.
func ModelName(table string) string {
	clean := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, table)
	var b strings.Builder
	for _, w := range Words(nil, clean) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	name := b.String()
	if name == "" || !('a' <= name[0] && name[0] <= 'z' || 'A' <= name[0] && name[0] <= 'Z') {
		name = "T" + name
	}
	return name
}

// JoinModelName is the name of the join model the checker declares for
// many-to-many relation field of model: the model, the field's words
// each with an upper-case first letter, and "Link" ("Post", "liked_posts"
// → "PostLikedPostsLink"). ormc pull gives a join table's model the same
// name where it must rename one.
func JoinModelName(model, field string) string {
	var buf [8]string
	var b strings.Builder
	b.WriteString(model)
	for _, w := range Words(buf[:0], field) {
		c := w[0]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
		b.WriteString(w[1:])
	}
	b.WriteString("Link")
	return b.String()
}
