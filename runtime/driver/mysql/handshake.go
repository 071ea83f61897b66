package mysql

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"syscall"
)

// Behind Vitess, CONNECTION_ID() is answered by a shard's MariaDB or
// MySQL: the id of the tablet's connection, which vtgate's KILL does not
// know (1094, unknown thread id). vtgate's own id for the session is the
// one its handshake packet carries, which go-sql-driver/mysql reads and
// drops. So the connector dials through dialRecording, which keeps what
// the first packet of each connection says: the server's version and the
// connection's id in the server's numbering.

// handshake is what a server's first packet said.
type handshake struct {
	version string
	id      int64
	read    bool // the packet was a handshake and was read whole
}

type handshakeKey struct{}

// withHandshake returns a context under which dialRecording records the
// handshake of the connection it dials into h.
func withHandshake(ctx context.Context, h *handshake) context.Context {
	return context.WithValue(ctx, handshakeKey{}, h)
}

// dialRecording dials as go-sql-driver/mysql does when given no dialer,
// and where the context carries a *handshake, records the connection's
// handshake into it as the driver reads it.
func dialRecording(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	h, _ := ctx.Value(handshakeKey{}).(*handshake)
	if h == nil {
		return c, nil
	}
	return &recordingConn{Conn: c, h: h}, nil
}

// recordingConn copies what is read until the first packet is whole, then
// parses it into h.
type recordingConn struct {
	net.Conn
	h    *handshake
	buf  []byte
	done bool
}

// maxHandshake bounds what is kept of the first packet: a handshake is
// about a hundred bytes.
const maxHandshake = 1 << 12

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if !c.done && n > 0 {
		c.buf = append(c.buf, p[:n]...)
		c.done = parseHandshake(c.buf, c.h) || len(c.buf) >= maxHandshake
		if c.done {
			c.buf = nil
		}
	}
	return n, err
}

// SyscallConn is the socket's, for the driver's check that a pooled
// connection is still alive.
func (c *recordingConn) SyscallConn() (syscall.RawConn, error) {
	sc, ok := c.Conn.(syscall.Conn)
	if !ok {
		return nil, syscall.EINVAL
	}
	return sc.SyscallConn()
}

// parseHandshake reads the packet at the start of b into h, reporting
// false while the packet is not whole. A packet that is not a protocol 10
// handshake (an error packet) leaves h unread.
//
// A packet is a 3-byte little-endian length, a sequence number, then the
// payload: the protocol version (10), the server version up to a NUL, and
// the connection id as 4 little-endian bytes.
func parseHandshake(b []byte, h *handshake) bool {
	if len(b) < 4 {
		return false
	}
	size := int(b[0]) | int(b[1])<<8 | int(b[2])<<16
	if len(b) < 4+size {
		return false
	}
	p := b[4 : 4+size]
	if len(p) == 0 || p[0] != 10 {
		return true
	}
	end := bytes.IndexByte(p[1:], 0)
	if end < 0 || len(p) < 1+end+1+4 {
		return true
	}
	h.version = string(p[1 : 1+end])
	h.id = int64(binary.LittleEndian.Uint32(p[1+end+1:]))
	h.read = true
	return true
}
