package deploy

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// doc is a decoded YAML document with path lookups for the test.
type doc map[string]any

// get walks nested map keys and returns what is there, or nil.
func (d doc) get(keys ...string) any {
	var cur any = d
	for _, k := range keys {
		switch m := cur.(type) {
		case doc: // yaml.v3 decodes nested maps as the outer map's type
			cur = m[k]
		case map[string]any:
			cur = m[k]
		default:
			return nil
		}
	}
	return cur
}

func readDocs(t *testing.T, path string) []doc {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var docs []doc
	for {
		var d doc
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, d)
	}
}

func TestCompose(t *testing.T) {
	docs := readDocs(t, "compose.yaml")
	if len(docs) != 1 {
		t.Fatalf("compose.yaml holds %d documents", len(docs))
	}
	c := docs[0]
	redisCmd := strings.Join(toStrings(c.get("services", "redis", "command")), " ")
	checks := []struct {
		name string
		ok   bool
	}{
		{"redis runs with AOF", strings.Contains(redisCmd, "--appendonly yes")},
		{"redis data on a named volume", contains(toStrings(c.get("services", "redis", "volumes")), "redis-data:/data") && c.get("volumes") != nil},
		{"two tributary replicas", c.get("services", "tributary", "deploy", "replicas") == 2},
		{"tributary uses the redis service", strings.HasPrefix(str(c.get("services", "tributary", "environment", "TRIBUTARY_REDIS_URL")), "redis://redis:6379/")},
		{"tributary listens on all interfaces", str(c.get("services", "tributary", "environment", "TRIBUTARY_LISTEN")) == "0.0.0.0:8080"},
		{"tributary waits for a healthy redis", c.get("services", "tributary", "depends_on", "redis", "condition") == "service_healthy"},
		{"built from deploy/Dockerfile", c.get("services", "tributary", "build", "dockerfile") == "deploy/Dockerfile"},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("compose.yaml: %s: no", ch.name)
		}
	}
	for _, v := range toStrings(c.get("services", "tributary", "volumes")) {
		host := strings.Split(v, ":")[0]
		if _, err := config.Load(host, nil); err != nil {
			t.Errorf("compose.yaml mounts %s, not a valid config: %v", host, err)
		}
	}
}

func TestKubernetes(t *testing.T) {
	byKind := map[string]doc{}
	files, _ := filepath.Glob("k8s/*.yaml")
	for _, f := range files {
		for _, d := range readDocs(t, f) {
			byKind[str(d.get("kind"))] = d
		}
	}
	dep, svc, cm := byKind["Deployment"], byKind["Service"], byKind["ConfigMap"]
	if dep == nil || svc == nil || cm == nil {
		t.Fatalf("k8s/ kinds = %v, want ConfigMap, Deployment, Service", keys(byKind))
	}
	containers, _ := dep.get("spec", "template", "spec", "containers").([]any)
	if len(containers) != 1 {
		t.Fatalf("deployment has %d containers", len(containers))
	}
	ctr, _ := containers[0].(doc)
	podLabels := dep.get("spec", "template", "metadata", "labels")
	checks := []struct {
		name string
		ok   bool
	}{
		{"readiness on /readyz", ctr.get("readinessProbe", "httpGet", "path") == "/readyz"},
		{"liveness on /healthz", ctr.get("livenessProbe", "httpGet", "path") == "/healthz"},
		{"service targets the http port", svc.get("spec", "ports") != nil && strings.Contains(yamlString(t, svc.get("spec", "ports")), "targetPort: http")},
		{"container names its http port", strings.Contains(yamlString(t, ctr.get("ports")), "name: http")},
		{"service selects the pods", yamlString(t, svc.get("spec", "selector")) == yamlString(t, podLabels)},
		{"deployment selects the pods", yamlString(t, dep.get("spec", "selector", "matchLabels")) == yamlString(t, podLabels)},
		{"runs as non-root", dep.get("spec", "template", "spec", "securityContext", "runAsNonRoot") == true},
		{"config volume from the configmap", strings.Contains(yamlString(t, dep.get("spec", "template", "spec", "volumes")), "name: "+str(cm.get("metadata", "name")))},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("k8s: %s: no", ch.name)
		}
	}
	env := func(name string) string {
		if name == "TRIBUTARY_LISTEN" {
			return "0.0.0.0:8080"
		}
		return ""
	}
	if _, err := config.Parse("configmap tributary.yaml", []byte(str(cm.get("data", "tributary.yaml"))), env); err != nil {
		t.Errorf("the ConfigMap's config is invalid: %v", err)
	}
}

func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	var froms []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "FROM ") {
			froms = append(froms, line)
		}
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"multi-stage", len(froms) == 2 && strings.HasSuffix(froms[0], " AS build")},
		{"runtime image is not the Go toolchain", len(froms) == 2 && !strings.Contains(froms[1], "golang")},
		{"static binary", strings.Contains(text, "CGO_ENABLED=0")},
		{"non-root user", strings.Contains(text, "\nUSER 10001")},
		{"health check on /healthz", strings.Contains(text, "HEALTHCHECK") && strings.Contains(text, "/healthz")},
		{"listens beyond loopback", strings.Contains(text, "TRIBUTARY_LISTEN=0.0.0.0:8080")},
	}
	for _, tt := range tests {
		if !tt.ok {
			t.Errorf("Dockerfile: %s: no", tt.name)
		}
	}
}

func TestSystemdUnit(t *testing.T) {
	data, err := os.ReadFile("tributary.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=tributary", "Restart=on-failure", "NoNewPrivileges=yes"} {
		if !strings.Contains(string(data), "\n"+want+"\n") {
			t.Errorf("tributary.service lacks %s", want)
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed: unit syntax not verified")
	}
	// verify wants ExecStart to exist and be executable: point it at this
	// test binary.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(t.TempDir(), "tributary.service")
	if err := os.WriteFile(unit, bytes.ReplaceAll(data, []byte("/usr/local/bin/tributary"), []byte(self)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", unit).CombinedOutput(); err != nil {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

func str(v any) string { s, _ := v.(string); return s }

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, str(x))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func keys(m map[string]doc) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func yamlString(t *testing.T, v any) string {
	t.Helper()
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
