package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store/snapshotguard"
)

const checkUsage = `Usage: tributary check [--config FILE] [--live]

Validates the config and exits 0 when it is valid, 1 when not, printing
one file:line: message per problem. With the embedded store it also
checks that this user can write the snapshot's directory.

With --live it then reads every source once, as tributary preview does
(nothing is stored), and prints a line per source: ok with what it read
(a feed, a list page, the selectors detection chose for one), or FAILED
with the reason; a list page's warnings follow on lines of their own
(a title or date selector matching few items, items sharing one link, a
list of one item, no dates, years that look wrong). It exits 1 when a
source cannot be read; warnings alone do not fail it.

Examples:
  tributary check --config /etc/tributary/tributary.yaml
  tributary check --config tributary.yaml --live

Flags:
`

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default $TRIBUTARY_CONFIG, else ./tributary.yaml)")
	live := fs.Bool("live", false, "read every source once and report what it reads and its warnings")
	fs.Usage = func() {
		fmt.Fprint(stderr, checkUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	cfg, err := config.Load(configPath(*cfgPath), os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	if err := snapshotguard.CheckWritable(cfg); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cfg.Path, err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: ok (%d sections, %d sources)\n", cfg.Path, len(cfg.SectionConfigs), len(cfg.Sources()))
	if *live {
		return checkLive(ctx, cfg, stdout)
	}
	return exitOK
}

// configPath resolves the config file: the flag, else $TRIBUTARY_CONFIG,
// else ./tributary.yaml.
func configPath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if env := os.Getenv("TRIBUTARY_CONFIG"); env != "" {
		return env
	}
	return "tributary.yaml"
}

// flagExit maps a flag parsing error to an exit code: --help is success.
func flagExit(err error) int {
	if err == flag.ErrHelp {
		return exitOK
	}
	return exitUsage
}
