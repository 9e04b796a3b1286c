package config

import (
	"strings"
	"testing"
)

func TestParse_Admin(t *testing.T) {
	const good = "0123456789abcdef0123"
	tests := []struct {
		name, yaml string
		env        map[string]string
		wantErr    string
		want       AdminConfig
	}{
		{name: "off by default", yaml: ""},
		{name: "token and allow_private", yaml: "admin:\n  token: " + good + "\n  allow_private: true\n",
			want: AdminConfig{Token: good, AllowPrivate: true}},
		{name: "env overrides file", yaml: "admin:\n  token: " + good + "\n",
			env: map[string]string{"TRIBUTARY_ADMIN_TOKEN": "ZYXWVUTSRQPONMLKJIH"}, want: AdminConfig{Token: "ZYXWVUTSRQPONMLKJIH"}},
		{name: "short token", yaml: "admin:\n  token: secret\n",
			wantErr: "t.yaml:2: token: must be at least 16 characters (got 6)"},
		{name: "short token from env names the variable", env: map[string]string{"TRIBUTARY_ADMIN_TOKEN": "short"},
			wantErr: "TRIBUTARY_ADMIN_TOKEN: must be at least 16 characters (got 5)"},
		{name: "space in token", yaml: "admin:\n  token: \"0123456789 abcdef\"\n",
			wantErr: "t.yaml:2: token: must be printable ASCII without spaces"},
		{name: "non-ASCII token", yaml: "admin:\n  token: 令牌令牌令牌令牌令牌令牌\n",
			wantErr: "t.yaml:2: token: must be printable ASCII without spaces"},
		{name: "allow_private not a bool", yaml: "admin:\n  allow_private: sometimes\n",
			wantErr: `t.yaml:2: allow_private: expected true or false, got "sometimes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.yaml + "sections:\n  - id: news\n    sources:\n      - url: https://example.com/feed\n"
			c, err := Parse("t.yaml", []byte(data), func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "abcdef") {
					t.Errorf("error quotes the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Admin != tt.want {
				t.Errorf("admin = %+v, want %+v", c.Admin, tt.want)
			}
		})
	}
}
