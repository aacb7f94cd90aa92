// Command masthead runs Masthead, a self-hosted newspaper reader platform,
// and administers its database.
//
// Usage:
//
//	masthead serve [--addr :8080] [--database URL] [--demo] ...
//	masthead migrate [--database URL]
//	masthead story import [--headline H] [--section S] [--access A] FILE...
//	masthead staff create --email E --role admin|editor|moderator
//	masthead version
//
// Every setting flag can also be given as an environment variable
// (MASTHEAD_ADDR, MASTHEAD_DATABASE_URL, ...); a flag beats the variable,
// which beats the default. Run "masthead help COMMAND" for details.
//
// This is the only package that names concrete implementations: it wires
// the SQL storage, the Markdown renderer and the HTTP server together.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	_ "time/tzdata" // time zones work on machines without a zoneinfo database

	"masthead"
)

// version is the release, set at build time with
// -ldflags "-X main.version=v1.2.3"; empty means "ask the build info".
var version string

func main() {
	os.Exit(run(context.Background(), os.Args[1:], &stdio{
		in: os.Stdin, out: os.Stdout, err: os.Stderr, getenv: os.Getenv,
	}))
}

// stdio is the outside world a command runs against, replaceable in tests.
type stdio struct {
	in     io.Reader
	out    io.Writer
	err    io.Writer
	getenv func(string) string
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // the command line was wrong
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, sio *stdio) int
}

// commands returns the subcommands in the order help lists them.
func commands() []command {
	return []command{
		{"serve", "run the site (migrates the database first)", runServe},
		{"migrate", "apply pending database migrations and exit", runMigrate},
		{"story", "manage stories: story import FILE...", runStory},
		{"staff", "manage staff: staff create --email E --role admin|editor|moderator", runStaff},
		{"version", "print the version", runVersion},
		{"help", "show help for a command", runHelp},
	}
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, sio *stdio) int {
	if len(args) == 0 {
		printUsage(sio.err)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printUsage(sio.out)
		return exitOK
	case "-v", "-version", "--version":
		return runVersion(ctx, nil, sio)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], sio)
		}
	}
	fmt.Fprintf(sio.err, "masthead: unknown command %q\n\n", args[0])
	printUsage(sio.err)
	return exitUsage
}

// printUsage writes the top-level help.
func printUsage(w io.Writer) {
	fmt.Fprint(w, "Masthead is a self-hosted newspaper reader platform.\n\nUsage:\n\n\tmasthead COMMAND [flags]\n\nCommands:\n\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "\t%-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"masthead COMMAND --help\" for a command's flags. Every setting flag can also\n"+
		"be given as the environment variable its help names (--database as\n"+
		"MASTHEAD_DATABASE_URL); a flag beats the variable, which beats the default.\n")
}

// runHelp prints the help of one command, or the top-level help.
func runHelp(ctx context.Context, args []string, sio *stdio) int {
	if len(args) == 0 {
		printUsage(sio.out)
		return exitOK
	}
	if args[0] == "help" {
		printUsage(sio.out)
		return exitOK
	}
	return run(ctx, append(args, "--help"), sio)
}

// runVersion prints the version.
func runVersion(_ context.Context, args []string, sio *stdio) int {
	f := newFlags("version", "Usage: masthead version\n\nPrints the version of this binary.\n")
	if status, ok := f.parseOrReport(args, sio); !ok {
		return status
	}
	fmt.Fprintf(sio.out, "masthead %s\n", versionString())
	return exitOK
}

// versionString returns the version set at build time or, failing that,
// what the Go build information records.
func versionString() string {
	v := version
	info, ok := debug.ReadBuildInfo()
	if v == "" && ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	if v == "" {
		v = "(devel)"
	}
	if ok {
		var rev, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = "+dirty"
				}
			}
		}
		extra := []string{info.GoVersion}
		if rev != "" {
			extra = append(extra, "commit "+rev[:min(12, len(rev))]+modified)
		}
		v += " (" + strings.Join(extra, ", ") + ")"
	}
	return v
}

// fail reports err on stderr and returns exitError. Application errors
// (bad input) show their message, which names what is wrong; anything else
// shows the whole chain.
func fail(sio *stdio, cmd string, err error) int {
	msg := err.Error()
	var e *masthead.Error
	if errors.As(err, &e) && e.Code != masthead.EINTERNAL {
		msg = e.Message
	}
	fmt.Fprintf(sio.err, "masthead %s: %s\n", cmd, msg)
	return exitError
}
