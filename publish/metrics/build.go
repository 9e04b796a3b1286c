package metrics

import (
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
)

// RegisterBuildInfo adds tributary_build_info{version,goversion}, always
// 1: joined on the instance label, it tells which release each instance
// runs (a rollout half done, a rollback that did not happen).
func (m *Metrics) RegisterBuildInfo(version string) error {
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "tributary_build_info",
		Help:        "Always 1; the labels say which Tributary version, built with which Go, this instance runs.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	g.Set(1)
	return m.reg.Register(g)
}
