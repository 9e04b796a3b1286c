package config

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration written in YAML as "90s", "15m" or "1h30m".
// A bare number is refused: "30" could mean seconds or nanoseconds.
type Duration time.Duration

// String formats d like time.Duration does.
func (d Duration) String() string {
	return time.Duration(d).String()
}

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a duration like 90s, 15m or 1h30m, got %s", describe(n))
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("expected a duration like 90s, 15m or 1h30m, got %q", n.Value)
	}
	*d = Duration(v)
	return nil
}
