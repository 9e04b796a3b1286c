package store

import "testing"

// TestCRC16: the check value of CRC-16/XMODEM, and slots Redis documents.
func TestCRC16(t *testing.T) {
	if got := crc16([]byte("123456789")); got != 0x31c3 {
		t.Errorf("crc16(123456789) = %#x, want 0x31c3", got)
	}
	for key, slot := range map[string]uint16{"foo": 12182, "bar": 5061, "hello": 866} {
		if got := crc16([]byte(key)) % 16384; got != slot {
			t.Errorf("slot(%q) = %d, want %d", key, got, slot)
		}
	}
}
