package runtime

import "fmt"

// Panics under DB calls: a panic raised by the driver or by the caller's
// function goes on, with the URL's password hidden from its message.

// rescuePanic is deferred by the calls that reach the driver or run the
// caller's function: a panic whose message shows one of the URL's
// secrets goes on as a *PanicError with the secrets hidden. Other panics
// go on unchanged.
func (db *DB) rescuePanic() {
	if p := recover(); p != nil {
		panic(db.hidePanic(p))
	}
}

// hidePanic returns p, or a *PanicError wrapping it when its message shows
// a secret.
func (db *DB) hidePanic(p any) any {
	if len(db.secrets) == 0 {
		return p
	}
	if pe, ok := p.(*PanicError); ok && pe.msg == hideSecrets(pe.msg, db.secrets) {
		return p // hidden already, by a call nested in this one
	}
	msg := fmt.Sprint(p)
	clean := hideSecrets(msg, db.secrets)
	if clean == msg {
		return p
	}
	return &PanicError{Value: p, msg: clean}
}

// PanicError is the value a panic raised under a DB call goes on with when
// its message showed the password of the database URL: its Error method
// shows the message with the password replaced by "xxxxx".
//
// Value is the original panic value, kept for programs that recover it on
// purpose; like Unwrap, it shows the password, so never print it.
type PanicError struct {
	Value any
	msg   string
}

func (e *PanicError) Error() string { return "ormc: panic: " + e.msg }

// Unwrap returns the original panic value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
