// Package deploy holds the deployment files (Dockerfile, compose.yaml, the
// systemd unit, Kubernetes manifests and the example config); it has no
// code. Its test checks what can be checked without Docker or a cluster.
package deploy
