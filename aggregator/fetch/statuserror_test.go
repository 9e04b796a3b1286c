package fetch

import (
	"testing"
	"time"
)

func TestStatusError_Error(t *testing.T) {
	tests := []struct {
		err  StatusError
		want string
	}{
		{StatusError{Code: 503, Status: "503 Service Unavailable"}, "http 503 Service Unavailable"},
		{StatusError{Code: 404}, "http 404 Not Found"},
		{StatusError{Code: 520, Status: "520 Origin Error"}, "http 520 Origin Error"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStatusError_RetryDelay(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter string
		want       time.Duration
		wantOK     bool
	}{
		{"absent", "", 0, false},
		{"seconds", "120", 2 * time.Minute, true},
		{"zero", "0", 0, true},
		{"negative", "-5", 0, false},
		{"http date", "Sun, 01 Mar 2026 08:05:00 GMT", 5 * time.Minute, true},
		{"past date", "Sun, 01 Mar 2026 07:00:00 GMT", 0, true},
		{"garbage", "soon", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &StatusError{Code: 503, RetryAfter: tt.retryAfter}
			got, ok := e.RetryDelay(now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("RetryDelay = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
