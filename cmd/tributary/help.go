package main

import (
	"context"
	"fmt"
	"io"
)

// cmdHelp prints the overview, or with a command name that command's
// help (the same text as COMMAND --help) on stdout.
func cmdHelp(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	switch args[0] {
	case "run", "check", "demo", "fetch", "sources", "opml", "discover", "preview", "version":
		// Subcommands print their help on the writer they report errors
		// to; asked for by name it is the answer, so it goes to stdout.
		return run(ctx, []string{args[0], "--help"}, stdout, stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "tributary help: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

const versionUsage = `Usage: tributary version

Prints the version the binary was built as (set with
-ldflags "-X main.version=…").

Example:
  tributary version
`

func cmdVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			fmt.Fprint(stderr, versionUsage)
			return exitOK
		}
		fmt.Fprintf(stderr, "tributary version: unexpected argument %q\n\n%s", args[0], versionUsage)
		return exitUsage
	}
	fmt.Fprintf(stdout, "tributary %s\n", version)
	return exitOK
}
