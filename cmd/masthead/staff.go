package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"masthead"
)

// staffHelp introduces masthead staff create's flags.
const staffHelp = `Usage: masthead staff create --email E --role admin|editor|moderator [flags]

Creates a staff account, verified and ready to sign in, or gives an existing
account that role and a new password. The password is read from standard
input: typed twice at a prompt on a terminal, or the first line of piped
input (echo "$PASSWORD" | masthead staff create ...).
`

// runStaff is masthead staff.
func runStaff(ctx context.Context, args []string, sio *stdio) int {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprint(sio.out, staffHelp)
			return exitOK
		}
		fmt.Fprint(sio.err, "masthead staff: want a subcommand: create\n\n"+staffHelp)
		return exitUsage
	}
	var cfg dbConfig
	var email, role string
	f := newFlags("staff create", staffHelp)
	f.StringVar(&email, "email", "", "the staff member's email address")
	f.StringVar(&role, "role", "", "admin, editor or moderator")
	addDBFlags(f, &cfg)
	if status, ok := f.parseOrReport(args[1:], sio); !ok {
		return status
	}
	r := masthead.Role(role)
	switch {
	case email == "":
		fmt.Fprint(sio.err, "masthead staff create: --email is required\n")
		return exitUsage
	case !r.IsStaff():
		fmt.Fprintf(sio.err, "masthead staff create: --role must be admin, editor or moderator, not %q\n", role)
		return exitUsage
	case len(f.Args()) > 0:
		fmt.Fprintf(sio.err, "masthead staff create: unexpected arguments %q\n", f.Args())
		return exitUsage
	}
	logger, err := newLogger(sio.err, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		fmt.Fprintf(sio.err, "masthead staff create: %v\n", err)
		return exitUsage
	}
	password, err := readPassword(sio)
	if err != nil {
		return fail(sio, "staff create", err)
	}
	db, err := openDB(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return fail(sio, "staff create", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fail(sio, "staff create", err)
	}
	accounts := newAccountService(db, masthead.AccountSettings{}, 1)
	a, err := accounts.CreateStaff(ctx, email, password, r)
	if err != nil {
		return fail(sio, "staff create", err)
	}
	fmt.Fprintf(sio.out, "staff account %s is %s\n", a.Email, a.Role)
	return exitOK
}

// readPassword reads a new password: at a terminal, typed twice without
// echo; otherwise the first line of standard input.
func readPassword(sio *stdio) (string, error) {
	if f, ok := sio.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(sio.err, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(sio.err)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(sio.err, "Password again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(sio.err)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("the two passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(sio.in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input")
	}
	return line, nil
}
