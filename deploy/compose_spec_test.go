package deploy

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// loadCompose loads a Compose file the way `docker compose config` does
// (compose-go is the loader Docker Compose itself uses): the Compose
// Specification's JSON Schema, then the semantic checks (undefined
// services, volumes, networks, bad durations, ports …).
func loadCompose(t *testing.T, content []byte) (*types.Project, error) {
	t.Helper()
	wd, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  wd,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(wd, "compose.yaml"), Content: content}},
		Environment: types.Mapping{},
	})
}

// TestCompose_spec is the `docker compose config` check without Docker:
// compose.yaml is a valid Compose project with two Tributary replicas.
func TestCompose_spec(t *testing.T) {
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := loadCompose(t, data)
	if err != nil {
		t.Fatalf("compose.yaml is not a valid Compose project: %v", err)
	}
	trib, ok := p.Services["tributary"]
	if !ok || trib.Deploy == nil || trib.Deploy.Replicas == nil || *trib.Deploy.Replicas != 2 {
		t.Errorf("service tributary: %+v, want deploy.replicas 2", trib.Deploy)
	}
	if _, ok := p.Volumes["redis-data"]; !ok {
		t.Error("no redis-data volume")
	}
	// The loader must be able to say no: the same file with a dependency
	// on a service that does not exist, and with a misspelt key.
	for name, broken := range map[string][]byte{
		"undefined service": bytes.Replace(data, []byte("    depends_on:\n      redis:"), []byte("    depends_on:\n      cache:"), 1),
		"unknown key":       bytes.Replace(data, []byte("replicas: 2"), []byte("replica: 2"), 1),
	} {
		if bytes.Equal(broken, data) {
			t.Fatalf("%s: compose.yaml changed shape; the negative control edits nothing", name)
		}
		if _, err := loadCompose(t, broken); err == nil {
			t.Errorf("%s: the broken copy loaded without error", name)
		} else {
			t.Logf("%s: refused as expected: %v", name, err)
		}
	}
}
