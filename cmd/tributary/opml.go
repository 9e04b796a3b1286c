package main

import (
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/publish"
)

const opmlUsage = `Usage:
  tributary opml import FILE --section ID [--write] [--config FILE]
  tributary opml export [--config FILE] [--section ID]

import reads an OPML subscription list and prints its feeds as the YAML of
a section's sources. With --write it appends them under that section's
sources: in the config file itself (comments and layout are kept; feeds the
section already lists are skipped) after checking that the result is a
valid config; an invalid result is not written and the command exits 1.

export prints the config's sources as OPML 2.0, one outline per section,
the same document the daemon serves at /opml.

Examples:
  tributary opml import subscriptions.opml --section news
  tributary opml import subscriptions.opml --section news --write --config tributary.yaml
  tributary opml export --config tributary.yaml > tributary.opml
`

func cmdOPML(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, opmlUsage)
		return exitUsage
	}
	switch args[0] {
	case "import":
		return cmdOPMLImport(args[1:], stdout, stderr)
	case "export":
		return cmdOPMLExport(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stderr, opmlUsage)
		return exitOK
	}
	fmt.Fprintf(stderr, "tributary opml: unknown subcommand %q\n\n%s", args[0], opmlUsage)
	return exitUsage
}

func cmdOPMLImport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("opml import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	section := fs.String("section", "", "section the feeds go into (required)")
	write := fs.Bool("write", false, "append the feeds to the config file instead of printing them")
	cfgPath := fs.String("config", "", "config file for --write (default $TRIBUTARY_CONFIG, else ./tributary.yaml)")
	fs.Usage = func() { fmt.Fprint(stderr, opmlUsage+"\nFlags of import:\n"); fs.PrintDefaults() }
	// The FILE operand may come before the flags: flag stops at it.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tributary opml import: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if file == "" || *section == "" {
		fmt.Fprint(stderr, "tributary opml import: need FILE and --section ID\n\n"+opmlUsage)
		return exitUsage
	}
	feeds, err := readOPML(file)
	if err != nil {
		fmt.Fprintln(stderr, "tributary opml import:", err)
		return exitError
	}
	if !*write {
		fmt.Fprintf(stdout, "# %d feeds from %s\n", len(feeds), file)
		fmt.Fprint(stdout, sectionYAML(*section, feeds))
		return exitOK
	}
	added, err := mergeIntoConfig(configPath(*cfgPath), *section, feeds)
	if err != nil {
		fmt.Fprintln(stderr, "tributary opml import:", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: added %d sources to section %s (%d already listed)\n", configPath(*cfgPath), added, *section, len(feeds)-added)
	return exitOK
}

// opmlFeed is one subscription of an OPML file.
type opmlFeed struct{ URL, Title string }

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr"`
	XMLURL   string        `xml:"xmlUrl,attr"`
	Children []opmlOutline `xml:"outline"`
}

// readOPML returns every outline with an xmlUrl, at any depth (readers nest
// feeds in folders), in document order and without repeats.
func readOPML(path string) ([]opmlFeed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Body []opmlOutline `xml:"body>outline"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not OPML: %w", path, err)
	}
	var feeds []opmlFeed
	seen := map[string]bool{}
	var walk func([]opmlOutline)
	walk = func(outlines []opmlOutline) {
		for _, o := range outlines {
			if u := strings.TrimSpace(o.XMLURL); u != "" && !seen[u] {
				seen[u] = true
				title := strings.TrimSpace(firstNonEmpty(o.Title, o.Text))
				if title == u {
					title = ""
				}
				feeds = append(feeds, opmlFeed{URL: u, Title: title})
			}
			walk(o.Children)
		}
	}
	walk(doc.Body)
	if len(feeds) == 0 {
		return nil, fmt.Errorf("%s: no outline with an xmlUrl", path)
	}
	return feeds, nil
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

func cmdOPMLExport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("opml export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default $TRIBUTARY_CONFIG, else ./tributary.yaml)")
	section := fs.String("section", "", "only this section")
	fs.Usage = func() { fmt.Fprint(stderr, opmlUsage+"\nFlags of export:\n"); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	cfg, err := config.Load(configPath(*cfgPath), os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	// The server renders OPML from the config alone at construction; no
	// store is needed to ask it for /opml. The export is the operator's
	// own copy of the config, so source URLs keep their credentials,
	// which the served /opml removes.
	srv := publish.NewServer(nil, publish.Options{BaseURL: cfg.BaseURL, Sections: cfg.Sections(), Sources: cfg.Sources(), Version: version,
		FullSourceURLs: true})
	path := "/opml"
	if *section != "" {
		path = "/sections/" + *section + ".opml"
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		fmt.Fprintf(stderr, "tributary opml export: %s", rec.Body.String())
		return exitError
	}
	_, _ = stdout.Write(rec.Body.Bytes())
	return exitOK
}
