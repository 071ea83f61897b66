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
// "xxxxx", for logs and messages. The password is the one net/url (and so
// every driver) reads: the user information's, and the value of any query
// parameter whose name mentions "password" or "passwd" (pgx reads
// "password" and "sslpassword"). When the URL cannot be parsed, a password
// holding "/", "?" or "#" is hidden too, up to the last "@".
func Redact(rawURL string) string {
	i := strings.Index(rawURL, "://")
	if i < 0 {
		return rawURL
	}
	head, rest := rawURL[:i+3], rawURL[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	auth, tail := rest[:end], rest[end:]
	if at := strings.LastIndex(auth, "@"); at >= 0 {
		auth = redactUserinfo(auth[:at]) + auth[at:]
	} else if at := strings.LastIndex(rest, "@"); at >= 0 {
		if _, err := url.Parse(rawURL); err != nil {
			return head + redactUserinfo(rest[:at]) + rest[at:]
		}
	}
	return head + auth + redactQuery(tail)
}

// redactUserinfo hides the password of "user:password".
func redactUserinfo(u string) string {
	if colon := strings.Index(u, ":"); colon >= 0 {
		return u[:colon+1] + redacted
	}
	return u
}

// redactQuery hides the values of password parameters in tail, the part of
// a URL after its authority, keeping every other byte.
func redactQuery(tail string) string {
	q := strings.Index(tail, "?")
	if q < 0 {
		return tail
	}
	query, frag := tail[q+1:], ""
	if h := strings.Index(query, "#"); h >= 0 {
		query, frag = query[:h], query[h:]
	}
	pairs := strings.Split(query, "&")
	changed := false
	for i, p := range pairs {
		k, _, ok := strings.Cut(p, "=")
		if ok && secretKey(k) {
			pairs[i] = k + "=" + redacted
			changed = true
		}
	}
	if !changed {
		return tail
	}
	return tail[:q+1] + strings.Join(pairs, "&") + frag
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

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
