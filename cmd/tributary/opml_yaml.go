package main

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

// sectionYAML is a config fragment listing feeds as a section's sources.
func sectionYAML(section string, feeds []opmlFeed) string {
	var b strings.Builder
	fmt.Fprintf(&b, "sections:\n  - id: %s\n    sources:\n", section)
	b.WriteString(sourceItems(feeds, "      ", "        "))
	return b.String()
}

// sourceItems renders feeds as block sequence items: dash is the
// indentation of "- ", key that of the following keys.
func sourceItems(feeds []opmlFeed, dash, key string) string {
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

// mergeIntoConfig appends the feeds the section does not list yet to its
// sources in the file, textually so that comments and layout survive, then
// validates the result and writes it only when it is a valid config. It
// returns how many sources it added.
func mergeIntoConfig(path, section string, feeds []opmlFeed) (int, error) {
	cfg, err := config.Load(path, os.Getenv)
	if err != nil {
		return 0, fmt.Errorf("the config is invalid before the merge:\n%w", err)
	}
	fresh := newFeeds(cfg, section, feeds)
	if len(fresh) == 0 {
		return 0, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	merged, err := appendSources(data, section, fresh)
	if err != nil {
		return 0, err
	}
	if _, err := config.Parse(path, merged, os.Getenv); err != nil {
		return 0, fmt.Errorf("the merged config would be invalid; not written:\n%w", err)
	}
	return len(fresh), atomicfile.Write(path, merged)
}

func newFeeds(cfg *config.Config, section string, feeds []opmlFeed) []opmlFeed {
	listed := map[string]bool{}
	for _, s := range cfg.SectionConfigs {
		if s.ID == section {
			for _, src := range s.Sources {
				listed[src.URL] = true
			}
		}
	}
	var out []opmlFeed
	for _, f := range feeds {
		if !listed[f.URL] {
			out = append(out, f)
		}
	}
	return out
}

// appendSources inserts feeds after the last item of the section's block
// sources sequence, at the indentation of its items.
func appendSources(data []byte, section string, feeds []opmlFeed) ([]byte, error) {
	seq, err := findSources(data, section)
	if err != nil {
		return nil, err
	}
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
	item := sourceItems(feeds, strings.Repeat(" ", dashCol), strings.Repeat(" ", keyCol))
	out := strings.Join(lines[:end], "") + item + strings.Join(lines[end:], "")
	return []byte(out), nil
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
