// Command tributary is the Tributary daemon and its operator tools: run,
// check, fetch, sources, opml, discover, preview, demo and version. It
// only parses flags, reads the config and wires the packages together;
// the work happens in aggregator/..., publish and report.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	// Zone data in the binary: Asia/Shanghai must load in minimal images.
	_ "time/tzdata"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes, documented in the README.
const (
	exitOK    = 0
	exitError = 1 // invalid config, failed start, runtime failure
	exitUsage = 2 // unknown command or bad flags
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Tributary aggregates RSS, Atom and JSON feeds into merged section feeds.

Usage:
  tributary run     [--config FILE] [--listen ADDR] [--role all|poll|serve]
                                                      poll sources and serve feeds
  tributary check   [--config FILE] [--live]          validate a config (exit 0 valid, 1 invalid);
                                                      --live also reads every source once
  tributary fetch   [--config FILE] [--section ID] [--source URL]
                                                      poll now, once, and print what happened
  tributary sources [--config FILE]                   the sources' polling status from the store
  tributary opml    import FILE (--section ID | --folders) [--write] | export
                                                      OPML to config sources and back
  tributary discover [--config FILE] URL              the feeds a page offers, else its lists of entries
  tributary preview [--config FILE] [--items SEL …] SOURCE
                                                      what one poll of a source would store, storing nothing
  tributary demo    [--listen ADDR]                   run against bundled sample sources, no network needed
  tributary version                                   print the version
  tributary help    [COMMAND]                         this text, or a command's help with examples

Every command takes --help. The config file defaults to $TRIBUTARY_CONFIG,
else ./tributary.yaml. TRIBUTARY_LISTEN and TRIBUTARY_REDIS_URL override the
file's listen and redis.url; TRIBUTARY_LOG_LEVEL its log.level.

Exit codes: 0 success, 1 failure (invalid config, a failed source, a
runtime error), 2 usage (unknown command, bad flags).

Examples:
  tributary check --config tributary.yaml
  tributary run --config tributary.yaml
  tributary fetch --config tributary.yaml --section news
  tributary discover https://www.example.edu.cn/
  tributary help fetch
`

// run dispatches a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "check":
		return cmdCheck(ctx, args[1:], stdout, stderr)
	case "demo":
		return cmdDemo(ctx, args[1:], stdout, stderr)
	case "fetch":
		return cmdFetch(ctx, args[1:], stdout, stderr)
	case "sources":
		return cmdSources(ctx, args[1:], stdout, stderr)
	case "opml":
		return cmdOPML(ctx, args[1:], stdout, stderr)
	case "discover":
		return cmdDiscover(ctx, args[1:], stdout, stderr)
	case "preview":
		return cmdPreview(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		return cmdVersion(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		return cmdHelp(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "tributary: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}
