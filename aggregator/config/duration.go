package config

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration written in YAML as "90s", "15m" or "1h30m",
// or in days: "14d", "1d12h" (see ParseDuration). A bare number is
// refused: "30" could mean seconds or nanoseconds.
type Duration time.Duration

// String formats d like time.Duration does.
func (d Duration) String() string {
	return time.Duration(d).String()
}

// UnmarshalYAML reads a duration string (see ParseDuration).
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a duration like 90s, 15m, 1h30m or 14d, got %s", describe(n))
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("expected a duration like 90s, 15m, 1h30m or 14d, got %q", n.Value)
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads a Go duration ("90s", "1h30m") that may start with
// a whole number of days ("14d", "1d12h"): the thresholds an operator
// thinks of in days (stale_after, max_age) read as they are said, where
// time.ParseDuration knows no unit beyond hours. A day is 24 hours.
func ParseDuration(s string) (time.Duration, error) {
	days, rest, ok := cutDays(s)
	if !ok {
		return time.ParseDuration(s)
	}
	const maxDays = int64(math.MaxInt64 / int64(24*time.Hour))
	if days > maxDays {
		return 0, fmt.Errorf("time: invalid duration %q", s)
	}
	d := time.Duration(days) * 24 * time.Hour
	if rest == "" {
		return d, nil
	}
	r, err := time.ParseDuration(rest)
	if err != nil || r < 0 || d > math.MaxInt64-r {
		return 0, fmt.Errorf("time: invalid duration %q", s)
	}
	return d + r, nil
}

// cutDays splits "14d" or "1d12h" into its days and the rest; ok is false
// when s does not start with digits and "d".
func cutDays(s string) (days int64, rest string, ok bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 18 || i >= len(s) || s[i] != 'd' {
		return 0, "", false
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, "", false
	}
	return n, s[i+1:], true
}

// FormatDuration writes d as ParseDuration reads it, in whole days when
// it is some ("14d"), else as time.Duration does.
func FormatDuration(d time.Duration) string {
	const day = 24 * time.Hour
	if d > 0 && d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	return d.String()
}
