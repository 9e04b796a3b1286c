package config

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// MaxIncludedFiles bounds how many files one include list may name, so a
// glob over the wrong directory is an error rather than a long stall.
const MaxIncludedFiles = 1000

// lineStride separates the line numbers of included files: the n-th
// included file's nodes are renumbered from n*lineStride, so the decoder
// and validator keep working with plain ints and Problems are mapped back
// to (file, line) at the end. No file under MaxFileBytes has as many lines.
const lineStride = 1 << 27

// fileSpan maps a range of renumbered lines back to the file they came
// from.
type fileSpan struct {
	path  string
	start int
}

// includes reads the files named by the top-level include key, checks each
// holds only sections, renumbers their lines and merges their sections
// into root: a section whose id the config already has, written with just
// id and sources, adds its sources to that section; any other section is
// appended. It returns the files read in order.
func includes(path string, root *yaml.Node, probs *problemList) []fileSpan {
	key, val := mappingValue(root, "include")
	if val == nil || isNull(val) {
		return nil
	}
	files := resolveIncludes(filepath.Dir(path), key, val, probs)
	// Files are read and parsed at once, a few at a time: at a hundred
	// thousand sources the YAML parser is most of a start. Their problems
	// and contents are taken in the order written, as if read one by one.
	loaded := make([]includedFile, len(files))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, file := range files {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			loaded[i] = loadIncluded(file)
		})
	}
	wg.Wait()
	var spans []fileSpan
	for i, file := range files {
		start := (i + 1) * lineStride
		spans = append(spans, fileSpan{path: file, start: start})
		doc := loaded[i].take(file, key.Line, probs)
		loaded[i] = includedFile{} // the merge below keeps what it needs
		if doc == nil {
			continue
		}
		renumber(doc, start)
		mergeIncluded(root, doc, probs)
	}
	return spans
}

// resolveIncludes expands the include list: a path, a glob or a directory
// (its *.yaml and *.yml files), relative to the config file's directory,
// each file once, in the order written (a glob's and a directory's files
// sorted by name).
func resolveIncludes(dir string, key, val *yaml.Node, probs *problemList) []string {
	items := []*yaml.Node{val}
	if val.Kind == yaml.SequenceNode {
		items = val.Content
	}
	var files []string
	for _, it := range items {
		if it.Kind != yaml.ScalarNode || it.Value == "" {
			probs.add(it.Line, "include: expected a file, directory or glob, got %s", describe(it))
			continue
		}
		found, err := expandInclude(dir, it.Value)
		if err != nil {
			probs.add(it.Line, "include: %v", err)
			continue
		}
		for _, f := range found {
			if !slices.Contains(files, f) {
				files = append(files, f)
			}
		}
	}
	if len(files) > MaxIncludedFiles {
		probs.add(key.Line, "include: %d files, more than the %d allowed", len(files), MaxIncludedFiles)
		return nil
	}
	return files
}

func expandInclude(dir, pattern string) ([]string, error) {
	p := pattern
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		var out []string
		for _, ext := range []string{"*.yaml", "*.yml"} {
			m, _ := filepath.Glob(filepath.Join(p, ext))
			out = append(out, m...)
		}
		sort.Strings(out)
		if len(out) == 0 {
			return nil, fmt.Errorf("directory %s holds no .yaml or .yml file", pattern)
		}
		return out, nil
	}
	if !strings.ContainsAny(pattern, "*?[") {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%s: %w", pattern, unwrapPath(err))
		}
		return []string{p}, nil
	}
	m, err := filepath.Glob(p)
	if err != nil {
		return nil, fmt.Errorf("bad pattern %q: %w", pattern, err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%s matches no file", pattern)
	}
	sort.Strings(m)
	return m, nil
}

// includedFile is an included file read and parsed: its document, or
// why it could not be read, or the problems found in it.
type includedFile struct {
	doc     *yaml.Node
	readErr error
	local   *problemList
}

// loadIncluded reads and parses one included file on its own, touching
// nothing shared, so that files load in parallel.
func loadIncluded(file string) includedFile {
	data, err := readFile(file)
	if err != nil {
		return includedFile{readErr: err}
	}
	local := &problemList{}
	doc := parseIncluded(data, local)
	if doc != nil && !isNull(doc) {
		checkFragment(doc, local)
	}
	return includedFile{doc: doc, local: local}
}

// take reports the problems of a loaded file and returns its document,
// or nil when it has none to merge. Problems are reported in
// its own numbering, before the caller renumbers it; a file that cannot be
// read is a problem at the include line of the main file.
//
// A file that is not a config fragment (a system file, a key, a JSON or
// env file named by mistake) is one problem saying what was expected,
// and nothing of its content is quoted: whoever reads `tributary check`
// or the daemon's log may not be allowed to read that file.
func (f includedFile) take(file string, includeLine int, probs *problemList) *yaml.Node {
	if f.readErr != nil {
		probs.add(includeLine, "include: %v", f.readErr)
		return nil
	}
	if len(f.local.items) > 0 {
		probs.addFrom(file, f.local)
		return nil
	}
	if f.doc == nil || isNull(f.doc) {
		return nil
	}
	return f.doc
}

// parseIncluded is parseYAML for an included file, whose syntax errors
// say that YAML was expected.
func parseIncluded(data []byte, local *problemList) *yaml.Node {
	syntax := &problemList{}
	doc, err := decodeDocument(data, syntax)
	for _, p := range syntax.items {
		local.add(p.Line, "invalid YAML: %s", p.Msg)
	}
	if err != nil {
		return nil
	}
	return documentRoot(doc, local)
}

// notFragment starts the problem of an included file that holds
// something else than a config fragment.
const notFragment = "not a config fragment: expected a mapping with a sections list, got "

// checkFragment reports an included document that is not a mapping with
// a sections key, or a mapping with other keys beside sections.
func checkFragment(doc *yaml.Node, local *problemList) {
	if doc.Kind != yaml.MappingNode {
		local.add(doc.Line, "%s%s", notFragment, describeShape(doc))
		return
	}
	if k, _ := mappingValue(doc, "sections"); k == nil {
		// Its keys are not listed: they may be anything.
		local.add(doc.Line, "%sa mapping without sections", notFragment)
		return
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if k := doc.Content[i]; k.Value != "sections" {
			local.add(k.Line, "unknown key %s in an included file; allowed keys: sections", describeKey(k))
		}
	}
}

// renumber shifts every node's line by start-0 so that problems found
// later can be traced back to the included file.
func renumber(n *yaml.Node, start int) {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n.Line += start
		stack = append(stack, n.Content...)
	}
}

// mergeIncluded adds the sections of an included document to root.
func mergeIncluded(root, doc *yaml.Node, probs *problemList) {
	_, secs := mappingValue(doc, "sections")
	if secs == nil || isNull(secs) {
		return
	}
	if secs.Kind != yaml.SequenceNode {
		probs.add(secs.Line, "sections: expected a list, got %s", describe(secs))
		return
	}
	rootSecs := rootSections(root)
	for _, sec := range secs.Content {
		if target := sourcesOnlyTarget(rootSecs, sec); target != nil {
			_, add := mappingValue(sec, "sources")
			if isNull(add) {
				continue // a member file emptied for now adds nothing
			}
			if add.Kind == yaml.SequenceNode {
				target.Content = append(target.Content, add.Content...)
				continue
			}
		}
		rootSecs.Content = append(rootSecs.Content, sec)
	}
}

// rootSections returns the root's sections sequence, adding an empty one
// when the main file has none.
func rootSections(root *yaml.Node) *yaml.Node {
	if _, secs := mappingValue(root, "sections"); secs != nil && secs.Kind == yaml.SequenceNode {
		return secs
	} else if secs != nil && isNull(secs) {
		secs.Kind, secs.Tag, secs.Value = yaml.SequenceNode, "!!seq", ""
		return secs
	}
	secs := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "sections"}, secs)
	return secs
}

// sourcesOnlyTarget returns the sources list of the existing section that
// sec (written as only id and sources) adds to, creating an empty list if
// that section has none; nil when sec is a section of its own.
func sourcesOnlyTarget(rootSecs, sec *yaml.Node) *yaml.Node {
	if sec.Kind != yaml.MappingNode || len(sec.Content) != 4 {
		return nil
	}
	_, id := mappingValue(sec, "id")
	if _, src := mappingValue(sec, "sources"); id == nil || src == nil || id.Kind != yaml.ScalarNode {
		return nil
	}
	for _, existing := range rootSecs.Content {
		if _, eid := mappingValue(existing, "id"); eid == nil || eid.Value != id.Value {
			continue
		}
		_, list := mappingValue(existing, "sources")
		if list != nil && list.Kind == yaml.SequenceNode {
			return list
		}
		if list == nil {
			list = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			existing.Content = append(existing.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "sources"}, list)
			return list
		}
		if isNull(list) {
			list.Kind, list.Tag, list.Value = yaml.SequenceNode, "!!seq", ""
			return list
		}
		return nil
	}
	return nil
}

// mappingValue returns the key and value nodes of key in mapping n.
func mappingValue(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind == yaml.ScalarNode && n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// Position maps a Line of a section or source (see SectionConfig.Line) to
// the file it was written in and its line there.
func (c *Config) Position(line int) (file string, fileLine int) {
	p := (&problemList{spans: c.spans}).locate(Problem{Line: line})
	if p.File == "" {
		return c.Path, line
	}
	return p.File, p.Line
}
