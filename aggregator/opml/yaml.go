package opml

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tributary-rss/tributary/aggregator/atomicfile"
	"github.com/tributary-rss/tributary/aggregator/config"
)

// YAML is the plan as a config fragment: each section's id (and
// title, for a new one) and the sources it would gain.
func YAML(p *Plan) string {
	var b strings.Builder
	b.WriteString("sections:\n")
	for _, s := range p.Sections {
		if len(s.Feeds) == 0 {
			continue
		}
		b.WriteString(sectionItem(s, "  ", "    "))
	}
	return b.String()
}

// sectionItem renders a section as a block sequence item, indented like
// sourceItems.
func sectionItem(s *Section, dash, key string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s- id: %s\n", dash, s.ID)
	if s.New && s.Title != "" {
		fmt.Fprintf(&b, "%stitle: %s\n", key, yamlString(s.Title))
	}
	fmt.Fprintf(&b, "%ssources:\n", key)
	b.WriteString(sourceItems(s.Feeds, key+"  ", key+"    "))
	return b.String()
}

// sourceItems renders feeds as block sequence items: dash is the
// indentation of "- ", key that of the following keys.
func sourceItems(feeds []Feed, dash, key string) string {
	var b strings.Builder
	for _, f := range feeds {
		fmt.Fprintf(&b, "%s- url: %s\n", dash, yamlString(f.URL))
		if f.Title != "" {
			fmt.Fprintf(&b, "%stitle: %s\n", key, yamlString(f.Title))
		}
	}
	return b.String()
}

// yamlString quotes s as a JSON string, which is a valid YAML
// double-quoted scalar: safe for any title (colons, #, quotes, CJK).
func yamlString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}

// MergeIntoConfig adds the plan's feeds to the config file, textually so
// that comments and layout survive: under the sources of the sections it
// has, and as new sections at the end of its sections list. It writes
// the result only when it is a valid config.
func MergeIntoConfig(path string, p *Plan) error {
	if p.Added() == 0 {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, s := range p.Sections {
		if len(s.Feeds) == 0 {
			continue
		}
		if s.New {
			data, err = appendSection(data, s)
		} else {
			data, err = appendSources(data, s.ID, s.Feeds)
		}
		if err != nil {
			return err
		}
	}
	if _, err := config.Parse(path, data, os.Getenv); err != nil {
		return fmt.Errorf("the merged config would be invalid; not written:\n%w", err)
	}
	return atomicfile.Write(path, data)
}

// appendSources inserts feeds after the last item of the section's block
// sources sequence, at the indentation of its items.
func appendSources(data []byte, section string, feeds []Feed) ([]byte, error) {
	seq, err := findSources(data, section)
	if err != nil {
		return nil, err
	}
	return appendItem(data, seq, func(dash, key string) string { return sourceItems(feeds, dash, key) }), nil
}

// appendSection adds a section after the last item of the block
// sections sequence, at the indentation of its items.
func appendSection(data []byte, s *Section) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("empty config")
	}
	seq := mapValue(root.Content[0], "sections")
	if seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
		return nil, fmt.Errorf("sections is not a block list with an item; add section %s by hand", s.ID)
	}
	return appendItem(data, seq, func(dash, key string) string { return sectionItem(s, dash, key) }), nil
}

// appendItem inserts the text item renders after the last item of the
// block sequence seq: dash is the indentation of its items' "- ", key
// that of their keys.
func appendItem(data []byte, seq *yaml.Node, item func(dash, key string) string) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	first := lines[seq.Content[0].Line-1]
	dashCol := len(first) - len(strings.TrimLeft(first, " "))
	keyCol := seq.Content[0].Column - 1
	end := seq.Content[len(seq.Content)-1].Line // 1-based line of the last item
scan:
	for i := end; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r\n")
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue // blank lines and comments belong to what follows
		case indent > dashCol || indent == dashCol && strings.HasPrefix(trimmed, "-"):
			end = i + 1
			continue
		}
		break scan
	}
	if !strings.HasSuffix(lines[end-1], "\n") {
		lines[end-1] += "\n"
	}
	text := item(strings.Repeat(" ", dashCol), strings.Repeat(" ", keyCol))
	return []byte(strings.Join(lines[:end], "") + text + strings.Join(lines[end:], ""))
}

// findSources returns the section's sources sequence node; it must be a
// non-empty block sequence (a flow one cannot be appended to textually).
func findSources(data []byte, section string) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("empty config")
	}
	for _, sec := range mapValue(root.Content[0], "sections").Content {
		if id := mapValue(sec, "id"); id.Value != section {
			continue
		}
		seq := mapValue(sec, "sources")
		if seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
			return nil, fmt.Errorf("section %s: sources is not a block list with an item; add the feeds by hand", section)
		}
		return seq, nil
	}
	return nil, fmt.Errorf("no section %q in the config; add it first (or print the YAML without --write)", section)
}

// mapValue is the value of key in a mapping node, or an empty node.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
	}
	return &yaml.Node{}
}
