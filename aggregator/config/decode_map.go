package config

import (
	"reflect"

	"go.yaml.in/yaml/v3"
)

// decodeStringMap decodes a mapping of strings to strings (a source's
// headers). Keys and values must be scalars; a duplicate key is an error,
// as it is everywhere else in the file.
func (d *decoder) decodeStringMap(n *yaml.Node, f reflect.Value, label string) bool {
	if f.Type().Key().Kind() != reflect.String || f.Type().Elem().Kind() != reflect.String {
		panic("config: only map[string]string fields are supported: " + label)
	}
	if n.Kind != yaml.MappingNode {
		d.probs.add(n.Line, "%s: expected a mapping, got %s", label, describe(n))
		return false
	}
	m := reflect.MakeMapWithSize(f.Type(), len(n.Content)/2)
	seen := map[string]int{}
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if key.Kind != yaml.ScalarNode || val.Kind != yaml.ScalarNode || isNull(val) {
			d.probs.add(key.Line, "%s: %s: expected a string value, got %s", label, describeKey(key), describe(val))
			ok = false
			continue
		}
		if first, dup := seen[key.Value]; dup {
			d.probs.add(key.Line, "%s: duplicate key %q (first at line %d)", label, key.Value, first)
			ok = false
			continue
		}
		seen[key.Value] = key.Line
		m.SetMapIndex(reflect.ValueOf(key.Value), reflect.ValueOf(val.Value))
	}
	f.Set(m)
	return ok
}
