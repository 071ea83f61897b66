package mysql

import "testing"

// TestParseHandshake: the version and id are read from a whole protocol
// 10 handshake, however the bytes arrive; a packet that is not one (an
// error packet) is whole but unread.
func TestParseHandshake(t *testing.T) {
	payload := append([]byte{10}, "8.4.6-Vitess\x00"...)
	payload = append(payload, 0x15, 0x03, 0, 0) // id 789
	payload = append(payload, "rest of the handshake"...)
	packet := append([]byte{byte(len(payload)), 0, 0, 0}, payload...)
	for cut := 0; cut < len(packet); cut++ {
		var h handshake
		if parseHandshake(packet[:cut], &h) || h.read {
			t.Fatalf("%d of %d bytes: reported whole", cut, len(packet))
		}
	}
	var h handshake
	if !parseHandshake(packet, &h) || !h.read || h.version != "8.4.6-Vitess" || h.id != 789 {
		t.Fatalf("whole packet: %+v", h)
	}
	errPacket := []byte{3, 0, 0, 0, 0xff, 0x15, 0x04}
	h = handshake{}
	if !parseHandshake(errPacket, &h) || h.read {
		t.Fatalf("error packet: whole %v, read %+v", parseHandshake(errPacket, &h), h)
	}
	short := []byte{3, 0, 0, 0, 10, 'x', 0}
	h = handshake{}
	if !parseHandshake(short, &h) || h.read {
		t.Fatalf("truncated handshake: %+v", h)
	}
}
