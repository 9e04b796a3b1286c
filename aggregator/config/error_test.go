package config

import "testing"

func TestError_Error(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"with line", &Error{Path: "a.yaml", Problems: []Problem{{Line: 3, Msg: "bad"}}}, "a.yaml:3: bad"},
		{"without line", &Error{Path: "a.yaml", Problems: []Problem{{Msg: "TRIBUTARY_LISTEN: bad"}}}, "a.yaml: TRIBUTARY_LISTEN: bad"},
		{"several", &Error{Path: "a.yaml", Problems: []Problem{{Line: 1, Msg: "x"}, {Line: 9, Msg: "y"}}}, "a.yaml:1: x\na.yaml:9: y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}
