package deploy

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// stateDir is where every packaged form keeps the embedded store's
// snapshot: a directory the daemon's user owns, outside the read-only
// /etc/tributary.
const stateDir = "/var/lib/tributary"

// dockerInstructions returns the final stage's instructions, continuation
// lines joined and comments dropped, as "KEYWORD args".
func dockerInstructions(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	cur := ""
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || trimmed == "" && cur == "" {
			continue
		}
		if body, more := strings.CutSuffix(trimmed, "\\"); more {
			cur += body + " "
			continue
		}
		cur += trimmed
		if strings.HasPrefix(cur, "FROM ") {
			out = nil // only the last stage runs
		}
		out = append(out, strings.Join(strings.Fields(cur), " "))
		cur = ""
	}
	return out
}

// TestDockerfile_stateVolume: the runtime stage declares the state
// directory a volume, owns it by the uid it runs as, and points
// STATE_DIRECTORY at it, so the example config's default snapshot lands
// in the volume.
func TestDockerfile_stateVolume(t *testing.T) {
	var volume, stateEnv, owned bool
	user := ""
	for _, in := range dockerInstructions(t) {
		kw, args, _ := strings.Cut(in, " ")
		switch kw {
		case "VOLUME":
			volume = volume || strings.Contains(args, stateDir)
		case "ENV":
			stateEnv = stateEnv || regexp.MustCompile(`(^| )STATE_DIRECTORY=`+stateDir+`( |$)`).MatchString(args)
		case "RUN":
			owned = owned || regexp.MustCompile(`chown (10001|tributary)(:(10001|tributary))? `+stateDir+`( |$)`).MatchString(args) &&
				strings.Contains(args, "-u 10001")
		case "USER":
			user = args
		}
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"VOLUME " + stateDir, volume},
		{"ENV STATE_DIRECTORY=" + stateDir, stateEnv},
		{stateDir + " owned by uid 10001", owned},
		{"runs as uid 10001", strings.HasPrefix(user, "10001")},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("Dockerfile: %s: no", c.name)
		}
	}
	cfg, err := config.Load("tributary.example.yaml", envOf(map[string]string{"STATE_DIRECTORY": stateDir}))
	if err != nil {
		t.Fatal(err)
	}
	if want := stateDir + "/tributary.snapshot"; cfg.Storage.Snapshot != want {
		t.Errorf("in the image the example config snapshots to %s, want %s (in the volume)", cfg.Storage.Snapshot, want)
	}
}

// TestSystemdUnit_stateDirectory: the unit's state directory is the one
// writable path under ProtectSystem=strict, and the snapshot defaults
// there through $STATE_DIRECTORY, which systemd sets from it.
func TestSystemdUnit_stateDirectory(t *testing.T) {
	data, err := os.ReadFile("tributary.service")
	if err != nil {
		t.Fatal(err)
	}
	service := unitSection(string(data), "Service")
	if got := service["StateDirectory"]; len(got) != 1 || got[0] != "tributary" {
		t.Errorf("StateDirectory = %v, want tributary (%s)", got, stateDir)
	}
	if got := service["DynamicUser"]; len(got) != 1 || got[0] != "yes" {
		if len(service["User"]) == 0 {
			t.Error("neither DynamicUser=yes nor User=: the state directory's owner is root")
		}
	}
	for _, e := range service["Environment"] {
		if strings.Contains(e, "STATE_DIRECTORY=") {
			t.Errorf("Environment overrides STATE_DIRECTORY (%s): systemd sets it from StateDirectory=", e)
		}
	}
	for _, pre := range service["ExecStartPre"] {
		if !strings.Contains(pre, "tributary check") {
			t.Errorf("unexpected ExecStartPre %q", pre)
		}
	}
	if len(service["ExecStartPre"]) == 0 {
		t.Error("no ExecStartPre running tributary check: an unwritable snapshot would only show at the first snapshot")
	}
	cfg, err := config.Load("tributary.example.yaml", envOf(map[string]string{"STATE_DIRECTORY": stateDir}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cfg.Storage.Snapshot, stateDir+"/") {
		t.Errorf("under systemd the example config snapshots to %s, outside %s", cfg.Storage.Snapshot, stateDir)
	}
}

// unitSection returns the settings of one [section] of a unit file, in
// order, each key's values as written.
func unitSection(unit, name string) map[string][]string {
	out := map[string][]string{}
	in := false
	for _, line := range strings.Split(unit, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "["):
			in = line == "["+name+"]"
		case in:
			k, v, _ := strings.Cut(line, "=")
			out[k] = append(out[k], v)
		}
	}
	return out
}

// TestKubernetes_imageAndMemory: the manifest's image says where the
// operator's own image goes instead of naming one no registry serves, and
// its memory limit is at least what the docs say a large feed may take.
func TestKubernetes_imageAndMemory(t *testing.T) {
	docs := readDocs(t, "k8s/deployment.yaml")
	ctr, _ := docs[0].get("spec", "template", "spec", "containers").([]any)[0].(doc)
	image := str(ctr.get("image"))
	if image == "" || strings.HasSuffix(image, ":latest") || !strings.Contains(image, ":") || !strings.Contains(image, "/") {
		t.Errorf("image %q: want a registry/name:tag placeholder, never :latest", image)
	}
	raw, _ := os.ReadFile("k8s/deployment.yaml")
	if !regexp.MustCompile(`(?m)^\s*image: ` + regexp.QuoteMeta(image) + `\s+# set to the image you pushed$`).Match(raw) {
		t.Errorf("the image line does not say to set it to the pushed image:\n%s", raw)
	}

	limit, err := resource.ParseQuantity(str(ctr.get("resources", "limits", "memory")))
	if err != nil {
		t.Fatalf("memory limit: %v", err)
	}
	reliability, err := os.ReadFile("../docs/reliability.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`huge\s+feed\s+at\s+most\s+(\d+)\s+MiB`).FindSubmatch(reliability)
	if m == nil {
		t.Fatal("docs/reliability.md no longer states the memory of a huge feed: update this test with the figure")
	}
	mib, _ := strconv.Atoi(string(m[1]))
	if documented := int64(mib) << 20; limit.Value() <= documented {
		t.Errorf("memory limit %s is not above the documented %d MiB of a huge feed", limit.String(), mib)
	}
}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}
