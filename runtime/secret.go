package runtime

import (
	"net/url"
	"strings"
)

// Database URLs carry passwords. Redact hides them in text meant for
// people; urlSecrets and scrub keep them out of errors even when a driver
// quotes the URL it was given.

const redacted = "xxxxx"

// Redact returns a database URL with its password, if any, replaced by
// "xxxxx", for logs and messages. It hides whatever any driver could read
// as the password: net/url's user information (up to the last "@" before
// "/", "?" or "#"), libpq's and pgx's (up to the first "@" before "/"),
// and the value of any query parameter whose name mentions "password" or
// "passwd" (pgx reads "password" and "sslpassword"). So it hides from the
// first ":" after the scheme to the last "@" before the first "/", and,
// when the URL cannot be parsed at all, to the last "@".
func Redact(rawURL string) string {
	var head, rest string
	if i := strings.Index(rawURL, "://"); i >= 0 && validScheme(rawURL[:i]) {
		head, rest = rawURL[:i+3], rawURL[i+3:]
	} else if strings.HasPrefix(rawURL, "//") {
		head, rest = "//", rawURL[2:]
	} else {
		return redactQuery(rawURL)
	}
	end := strings.IndexByte(rest, '/')
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 && strings.Contains(rest[end:], "@") {
		if _, err := url.Parse(rawURL); err != nil {
			at = strings.LastIndex(rest, "@")
		}
	}
	if at < 0 {
		return head + redactQuery(rest)
	}
	return head + redactUserinfo(rest[:at]) + "@" + redactQuery(rest[at+1:])
}

// validScheme reports whether s is a URL scheme as net/url reads one, so
// that Redact finds the user information where the drivers do.
func validScheme(s string) bool {
	for i, c := range s {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return s != ""
}

// redactUserinfo hides the password of "user:password".
func redactUserinfo(u string) string {
	if colon := strings.Index(u, ":"); colon >= 0 {
		return u[:colon+1] + redacted
	}
	return u
}

// redactQuery hides the values of password parameters in s, the part of
// a URL after its user information, keeping every other byte. A value runs
// to the next "&": pgx, like libpq, does not end it at "#".
func redactQuery(s string) string {
	q := strings.Index(s, "?")
	if q < 0 {
		return s
	}
	pairs := strings.Split(s[q+1:], "&")
	changed := false
	for i, p := range pairs {
		k, _, ok := strings.Cut(p, "=")
		if ok && secretKey(k) {
			pairs[i] = k + "=" + redacted
			changed = true
		}
	}
	if !changed {
		return s
	}
	return s[:q+1] + strings.Join(pairs, "&")
}

// secretKey reports whether a raw query parameter name names a password.
func secretKey(k string) bool {
	if u, err := url.QueryUnescape(k); err == nil {
		k = u
	}
	k = strings.ToLower(k)
	return strings.Contains(k, "password") || strings.Contains(k, "passwd")
}

// urlSecrets returns the passwords a database URL carries, both as written
// and unescaped, for scrub.
func urlSecrets(rawURL string) []string {
	var out []string
	add := func(s string) {
		if s != "" && s != redacted {
			out = append(out, s)
			if e := url.QueryEscape(s); e != s {
				out = append(out, e)
			}
		}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// Take whatever Redact would hide.
		i := strings.Index(rawURL, "://")
		if i < 0 {
			return nil
		}
		rest := rawURL[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
				add(pw)
				if p, err := url.PathUnescape(pw); err == nil {
					add(p)
				}
			}
		}
		return out
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			add(pw)
			if raw := u.User.String(); strings.Contains(raw, ":") {
				_, rawPW, _ := strings.Cut(raw, ":")
				add(rawPW)
			}
		}
	}
	for k, vs := range u.Query() {
		if secretKey(k) {
			for _, v := range vs {
				add(v)
			}
		}
	}
	return out
}

// hideSecrets replaces every secret in msg.
func hideSecrets(msg string, secrets []string) string {
	for _, s := range secrets {
		msg = strings.ReplaceAll(msg, s, redacted)
	}
	return msg
}

// scrub returns err, or, when its message shows a secret, an error with
// the secret hidden that still unwraps to err for errors.Is and errors.As.
//
// Unwrapping therefore reaches the driver's error as the driver made it:
// errors.As gives the *pgconn.PgError or *mysql.MySQLError that callers
// inspect for codes, but that error's own Error method, and whatever
// fields quote the URL, still show the password. Print the error the
// runtime returned, never one unwrapped from it. (Scrubbing the targets
// of errors.As is not possible: they are the driver's types, and the
// runtime cannot know which of their fields hold text.)
func scrub(err error, secrets []string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	msg := err.Error()
	clean := hideSecrets(msg, secrets)
	if clean == msg {
		return err
	}
	return &scrubbedError{msg: clean, err: err}
}

// scrubbedError is a driver's error whose message showed a secret: Error
// hides it, Unwrap returns the original (see scrub).
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
