package urlsecret

import "testing"

func TestParams_Secret(t *testing.T) {
	builtIn := NewParams(nil)
	configured := NewParams([]string{"sid2", "x-goog-*", " My_Tok ", "*", "_"})
	tests := []struct {
		name   string
		p      Params
		secret bool
	}{
		// The names once listed exactly.
		{"key", builtIn, true}, {"api_key", builtIn, true}, {"apikey", builtIn, true}, {"api-key", builtIn, true},
		{"token", builtIn, true}, {"access_token", builtIn, true}, {"auth", builtIn, true}, {"auth_token", builtIn, true},
		{"secret", builtIn, true}, {"client_secret", builtIn, true}, {"password", builtIn, true}, {"passwd", builtIn, true},
		{"sig", builtIn, true}, {"signature", builtIn, true}, {"session", builtIn, true}, {"sid", builtIn, true},
		// Secrets by another name.
		{"app_secret", builtIn, true},
		{"appsecret", builtIn, true},
		{"private_token", builtIn, true},
		{"X-Amz-Signature", builtIn, true},
		{"access_key", builtIn, true},
		{"pwd", builtIn, true},
		{"appkey", builtIn, true},
		{"ticket", builtIn, true},
		{"token[]", builtIn, true},
		{"credential", builtIn, true},
		{"oauth_verifier", builtIn, true},
		{"jsessionid", builtIn, true},
		{"PHPSESSID", builtIn, true},
		// Encodings, case and separators.
		{"%2574oken", builtIn, true},
		{"%252574oken", builtIn, true},
		{"%74%6F%6B%65%6E", builtIn, true},
		{"token%5B%5D", builtIn, true},
		{"%zz%74oken", builtIn, true}, // a stray % does not stop decoding
		{"ToKeN", builtIn, true},
		{"PRIVATE-TOKEN", builtIn, true},
		{"api.key", builtIn, true},
		{"api key", builtIn, true},
		{"api+key", builtIn, true},
		{"to_ken", builtIn, true},
		{"to%00ken", builtIn, true},
		{"t[o]k.e-n", builtIn, true},
		{"user[password]", builtIn, true},
		// Presigned URLs: every X-Amz- parameter, however separated.
		{"X-Amz-Date", builtIn, true},
		{"X-Amz-Expires", builtIn, true},
		{"x_amz_algorithm", builtIn, true},
		// Encoded more times than anyone encodes a name: secret.
		{"%25252525252525252574oken", builtIn, true},
		{"%252525252525252525252541", builtIn, true},
		// Contained words are secret too; the false positives are harmless.
		{"keyword", builtIn, true},
		{"monkey", builtIn, true},
		{"tokens", builtIn, true},
		// Ordinary names.
		{"id", builtIn, false}, {"page", builtIn, false}, {"lang", builtIn, false}, {"format", builtIn, false},
		{"category", builtIn, false}, {"q", builtIn, false}, {"x", builtIn, false}, {"", builtIn, false},
		{"sid2", builtIn, false}, {"x-goog-date", builtIn, false}, {"my_tok", builtIn, false},
		{"amz", builtIn, false}, {"%41", builtIn, false},
		// The configured extension: exact names and prefixes, normalized.
		{"sid2", configured, true},
		{"SID2", configured, true},
		{"s-i-d-2", configured, true},
		{"sid22", configured, false},
		{"x-goog-date", configured, true},
		{"X_Goog_Expires", configured, true},
		{"my_tok", configured, true},
		{"My-Tok", configured, true},
		{"my%5Ftok", configured, true},
		{"my_toks", configured, false},
		{"page", configured, false}, // "*" and "_" normalize to nothing and add nothing
		{"token", configured, true}, // the built-in rule still applies
	}
	for _, tt := range tests {
		if got := tt.p.Secret(tt.name); got != tt.secret {
			t.Errorf("Secret(%q) = %v, want %v", tt.name, got, tt.secret)
		}
	}
}

func TestParams_zeroValue(t *testing.T) {
	var p Params
	if !p.Secret("access_token") || p.Secret("page") {
		t.Error("the zero Params does not apply the built-in rule")
	}
}
