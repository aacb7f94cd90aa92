package main

import (
	"context"
	"fmt"
)

// migrateHelp introduces masthead migrate's flags.
const migrateHelp = `Usage: masthead migrate [flags]

Applies every pending database migration and exits. masthead serve does this
by itself at start-up; run it on its own to upgrade ahead of a deployment.
`

// runMigrate is masthead migrate.
func runMigrate(ctx context.Context, args []string, sio *stdio) int {
	var cfg dbConfig
	f := newFlags("migrate", migrateHelp)
	addDBFlags(f, &cfg)
	if status, ok := f.parseOrReport(args, sio); !ok {
		return status
	}
	if len(f.Args()) > 0 {
		fmt.Fprintf(sio.err, "masthead migrate: unexpected arguments %q\n", f.Args())
		return exitUsage
	}
	logger, err := newLogger(sio.err, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		fmt.Fprintf(sio.err, "masthead migrate: %v\n", err)
		return exitUsage
	}
	db, err := openDB(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return fail(sio, "migrate", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fail(sio, "migrate", err)
	}
	logger.Info("database migrated", "database", db.Dialect())
	return exitOK
}
