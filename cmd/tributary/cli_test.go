package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRun_commands(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"no command", nil, exitUsage, "", "Usage:"},
		{"unknown command", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{"version", []string{"version"}, exitOK, "tributary ", ""},
		{"help", []string{"help"}, exitOK, "tributary check", ""},
		{"check valid example", []string{"check", "--config", "../../deploy/tributary.example.yaml"}, exitOK, ": ok (", ""},
		{"check invalid", []string{"check", "--config", "testdata/bad-config.yaml"}, exitError, "", "testdata/bad-config.yaml:3: "},
		{"check invalid names the url line", []string{"check", "--config", "testdata/bad-config.yaml"}, exitError, "", "testdata/bad-config.yaml:6: "},
		{"check missing file", []string{"check", "--config", "testdata/nope.yaml"}, exitError, "", "testdata/nope.yaml"},
		{"check help", []string{"check", "--help"}, exitOK, "", "Usage: tributary check"},
		{"run bad flag", []string{"run", "--bogus"}, exitUsage, "", "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout %q does not contain %q", stdout.String(), tt.wantStdout)
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.wantStderr)
			}
		})
	}
}
