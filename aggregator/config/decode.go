package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// parseYAML returns the top node of the single YAML document in data, nil
// for an empty document. Syntax errors, extra documents and aliases are
// added to probs.
//
// Aliases are refused outright rather than limited: a config never needs
// them, and refusing them means a billion-laughs document is rejected after
// one linear pass instead of being expanded.
func parseYAML(data []byte, probs *problemList) *yaml.Node {
	doc, err := decodeDocument(data, probs)
	if err != nil {
		return nil
	}
	return documentRoot(doc, probs)
}

// documentRoot returns the top node of a decoded document (nil for none),
// refusing aliases.
func documentRoot(doc *yaml.Node, probs *problemList) *yaml.Node {
	if doc == nil {
		return nil
	}
	if alias := findAlias(doc); alias != nil {
		probs.add(alias.Line, "YAML aliases are not allowed (*%s): write the value out", excerpt(alias.Value))
		return nil
	}
	if len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// decodeDocument reads the first document and checks there is no second.
func decodeDocument(data []byte, probs *problemList) (doc *yaml.Node, err error) {
	// yaml.v3 turns its own failures into errors but lets runtime panics
	// through; a config file must never crash the daemon or `check`.
	defer func() {
		if r := recover(); r != nil {
			probs.add(0, "cannot parse YAML: %s", clip(fmt.Sprint(r), maxMessage))
			doc, err = nil, errors.New("yaml panic")
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var first yaml.Node
	if err := dec.Decode(&first); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		addYAMLError(probs, data, err)
		return nil, err
	}
	for {
		var next yaml.Node
		switch err := dec.Decode(&next); {
		case errors.Is(err, io.EOF):
			return &first, nil
		case err != nil:
			addYAMLError(probs, data, err)
			return nil, err
		case !emptyDocument(&next):
			probs.add(next.Line, "only one YAML document is allowed")
			return nil, errors.New("extra document")
		}
	}
}

// emptyDocument is true for a document with no value, such as the one a
// trailing "---" starts: harmless, so not worth an error.
func emptyDocument(doc *yaml.Node) bool {
	return len(doc.Content) == 0 || isNull(doc.Content[0])
}

// findAlias returns the first alias in document order. It never follows
// an alias, so it is linear in the size of the document.
func findAlias(n *yaml.Node) *yaml.Node {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.AliasNode {
			return n
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
	return nil
}

// fieldInfo records where a field's value was written. A field missing from
// the map was not in the file (nor set from the environment).
type fieldInfo struct {
	line int
	// bad marks a value that failed to decode, so validation does not
	// report it a second time.
	bad bool
}

// decoder fills Config from the node tree by hand instead of using
// yaml.v3's Decode, which stops at the first unknown key and loses the
// lines of values. It keys fieldInfo by a pointer to each field.
type decoder struct {
	probs  *problemList
	fields map[any]fieldInfo
}

func newDecoder(probs *problemList) *decoder {
	return &decoder{probs: probs, fields: map[any]fieldInfo{}}
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// decodeRoot fills c from the document's top node (nil when empty); false
// means the document is not a mapping and nothing else is worth checking.
func (d *decoder) decodeRoot(root *yaml.Node, c *Config) bool {
	if root == nil || isNull(root) {
		return true
	}
	if root.Kind != yaml.MappingNode {
		d.probs.add(root.Line, "expected a mapping of settings at the top level, got %s", describeShape(root))
		return false
	}
	return d.decodeStruct(root, reflect.ValueOf(c).Elem(), "")
}

// decodeStruct decodes a mapping into the struct v; label names the mapping
// in messages ("" for the top level).
func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, label string) bool {
	if isNull(n) {
		return true
	}
	if n.Kind != yaml.MappingNode {
		d.probs.add(n.Line, "%s: expected a mapping, got %s", label, describe(n))
		return false
	}
	if f := v.FieldByName("Line"); f.IsValid() && f.Kind() == reflect.Int {
		f.SetInt(int64(n.Line))
	}
	names, index := yamlFields(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if first, dup := seen[key.Value]; dup && key.Kind == yaml.ScalarNode {
			d.probs.add(key.Line, "duplicate key %q (first at line %d)", key.Value, first)
			continue
		}
		seen[key.Value] = key.Line
		idx, ok := index[key.Value]
		if !ok || key.Kind != yaml.ScalarNode {
			d.probs.add(key.Line, "unknown key %s %s; allowed keys: %s",
				describeKey(key), where(label), strings.Join(names, ", "))
			continue
		}
		d.decodeField(val, v.Field(idx), key.Value)
	}
	return true
}

func where(label string) string {
	if label == "" {
		return "at the top level"
	}
	return "in " + label
}

// yamlFields lists the yaml keys of a struct type in declaration order,
// read once per type: a config of 100,000 sources decodes as many
// SourceConfig structs. Callers must not change what it returns.
func yamlFields(t reflect.Type) ([]string, map[string]int) {
	if f, ok := fieldCache.Load(t); ok {
		fs := f.(structFields)
		return fs.names, fs.index
	}
	names, index := readYAMLFields(t)
	fieldCache.Store(t, structFields{names, index})
	return names, index
}

// fieldCache holds yamlFields' answers by type (the config's few struct
// types).
var fieldCache sync.Map

type structFields struct {
	names []string
	index map[string]int
}

func readYAMLFields(t reflect.Type) ([]string, map[string]int) {
	var names []string
	index := map[string]int{}
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		names = append(names, tag)
		index[tag] = i
	}
	return names, index
}

// decodeField decodes one value into f and records where it was written.
// A null value leaves the field unset, as if the key were absent.
func (d *decoder) decodeField(n *yaml.Node, f reflect.Value, label string) {
	if isNull(n) && f.Kind() != reflect.Struct {
		return
	}
	ok := true
	ptr := f.Addr().Interface()
	switch {
	case f.Addr().Type().Implements(unmarshalerType):
		if err := ptr.(yaml.Unmarshaler).UnmarshalYAML(n); err != nil {
			d.probs.add(n.Line, "%s: %v", label, err)
			ok = false
		}
	case f.Kind() == reflect.String:
		ok = d.decodeString(n, f, label)
	case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
		ok = d.decodeInt(n, f, label)
	case f.Kind() == reflect.Bool:
		ok = d.decodeBool(n, f, label)
	case f.Kind() == reflect.Struct:
		ok = d.decodeStruct(n, f, label)
	case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Struct:
		// An optional block (a source's scrape:): nil when absent or null,
		// so "not configured" differs from "configured with defaults".
		f.Set(reflect.New(f.Type().Elem()))
		ok = d.decodeStruct(n, f.Elem(), label)
	case f.Kind() == reflect.Slice:
		ok = d.decodeSlice(n, f, label)
	case f.Kind() == reflect.Map:
		ok = d.decodeStringMap(n, f, label)
	default:
		panic(fmt.Sprintf("config: no decoder for %s field %s", f.Type(), label))
	}
	d.fields[ptr] = fieldInfo{line: n.Line, bad: !ok}
}

func (d *decoder) decodeString(n *yaml.Node, f reflect.Value, label string) bool {
	if n.Kind != yaml.ScalarNode {
		d.probs.add(n.Line, "%s: expected a string, got %s", label, describe(n))
		return false
	}
	f.SetString(n.Value)
	return true
}

func (d *decoder) decodeInt(n *yaml.Node, f reflect.Value, label string) bool {
	var i int64
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
		d.probs.add(n.Line, "%s: expected an integer, got %s", label, describe(n))
		return false
	}
	if f.OverflowInt(i) {
		d.probs.add(n.Line, "%s: %s is too large", label, n.Value)
		return false
	}
	f.SetInt(i)
	return true
}

func (d *decoder) decodeBool(n *yaml.Node, f reflect.Value, label string) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		d.probs.add(n.Line, "%s: expected true or false, got %s", label, describe(n))
		return false
	}
	f.SetBool(b)
	return true
}

// decodeSlice decodes a sequence of mappings or of strings; each mapping
// is labelled with the key in the singular ("sections" → "section"), each
// string with the key and its index ("include[2]").
func (d *decoder) decodeSlice(n *yaml.Node, f reflect.Value, label string) bool {
	if n.Kind != yaml.SequenceNode {
		d.probs.add(n.Line, "%s: expected a list, got %s", label, describe(n))
		return false
	}
	// Sized once so element addresses stay valid as fieldInfo keys.
	f.Set(reflect.MakeSlice(f.Type(), len(n.Content), len(n.Content)))
	ok := true
	for i, item := range n.Content {
		elem := f.Index(i)
		var elemOK bool
		if elem.Kind() == reflect.String {
			elemOK = d.decodeString(item, elem, fmt.Sprintf("%s[%d]", label, i))
		} else {
			elemOK = d.decodeStruct(item, elem, strings.TrimSuffix(label, "s"))
		}
		d.fields[elem.Addr().Interface()] = fieldInfo{line: item.Line, bad: !elemOK}
		ok = ok && elemOK
	}
	return ok
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names a node's value for "expected X, got Y" messages, quoting
// at most the start of its first line (excerpt).
func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(excerpt(n.Value))
	}
	return describeShape(n)
}

func describeKey(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(excerpt(n.Value))
	}
	return describe(n)
}
