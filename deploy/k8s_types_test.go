package deploy

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// decodeManifest decodes one Kubernetes object strictly into its API type
// from k8s.io/api, the types the API server itself decodes into: an
// unknown or misspelt field, a wrong type or a duplicate key is an error,
// as `kubectl apply --validate=strict` would report, without a cluster.
func decodeManifest(doc []byte) (any, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &head); err != nil {
		return nil, err
	}
	var obj any
	switch head.APIVersion + " " + head.Kind {
	case "apps/v1 Deployment":
		obj = &appsv1.Deployment{}
	case "v1 Service":
		obj = &corev1.Service{}
	case "v1 ConfigMap":
		obj = &corev1.ConfigMap{}
	case "v1 Secret":
		obj = &corev1.Secret{}
	default:
		return nil, fmt.Errorf("kind %q of apiVersion %q: not one this test knows", head.Kind, head.APIVersion)
	}
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		return nil, fmt.Errorf("%s: %w", head.Kind, err)
	}
	return obj, nil
}

// TestKubernetes_types decodes every manifest under k8s/ strictly and
// checks what the map-level test cannot see: port names that resolve and
// probes on a named container port.
func TestKubernetes_types(t *testing.T) {
	files, _ := filepath.Glob("k8s/*.yaml")
	if len(files) == 0 {
		t.Fatal("no manifests under k8s/")
	}
	var dep *appsv1.Deployment
	var svc *corev1.Service
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range splitYAML(data) {
			obj, err := decodeManifest(doc)
			if err != nil {
				t.Errorf("%s document %d: %v", f, i+1, err)
				continue
			}
			switch o := obj.(type) {
			case *appsv1.Deployment:
				dep = o
			case *corev1.Service:
				svc = o
			}
		}
	}
	if dep == nil || svc == nil {
		t.Fatal("no Deployment or no Service")
	}
	ports := map[string]bool{}
	for _, c := range dep.Spec.Template.Spec.Containers {
		for _, p := range c.Ports {
			ports[p.Name] = true
		}
		for name, probe := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
			if probe == nil || probe.HTTPGet == nil || !ports[probe.HTTPGet.Port.String()] && probe.HTTPGet.Port.IntValue() == 0 {
				t.Errorf("container %s: %s probe not on a declared port: %+v", c.Name, name, probe)
			}
		}
	}
	for _, p := range svc.Spec.Ports {
		if p.TargetPort.IntValue() == 0 && !ports[p.TargetPort.String()] {
			t.Errorf("service port %s targets %q, which no container declares", p.Name, p.TargetPort.String())
		}
	}

	// The decoder must be able to say no.
	data, err := os.ReadFile("k8s/deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(data, []byte("readinessProbe:"), []byte("readinesProbe:"), 1)
	if bytes.Equal(broken, data) {
		t.Fatal("deployment.yaml has no readinessProbe to misspell")
	}
	if _, err := decodeManifest(broken); err == nil {
		t.Error("a misspelt field decoded without error")
	} else {
		t.Logf("misspelt field refused as expected: %v", err)
	}
}

// splitYAML splits a multi-document YAML file on its "---" lines, dropping
// empty documents.
func splitYAML(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range bytes.Split(append([]byte("\n"), data...), []byte("\n---")) {
		if len(bytes.TrimSpace(d)) > 0 {
			docs = append(docs, d)
		}
	}
	return docs
}
