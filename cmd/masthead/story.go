package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"masthead"
	"masthead/internal/storyfile"
)

// storyHelp introduces masthead story.
const storyHelp = `Usage: masthead story import [flags] FILE...

Subcommands:

	import     import story files (Markdown with front matter, or plain text)

Run "masthead story import --help" for its flags.
`

// runStory dispatches masthead story's subcommands.
func runStory(ctx context.Context, args []string, sio *stdio) int {
	if len(args) == 0 {
		fmt.Fprint(sio.err, storyHelp)
		return exitUsage
	}
	switch args[0] {
	case "import":
		return runStoryImport(ctx, args[1:], sio)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(sio.out, storyHelp)
		return exitOK
	}
	fmt.Fprintf(sio.err, "masthead story: unknown subcommand %q\n\n%s", args[0], storyHelp)
	return exitUsage
}

// importHelp introduces masthead story import's flags.
const importHelp = `Usage: masthead story import [flags] FILE...

Imports stories. A file is Markdown with YAML front matter (*.md, *.markdown,
or any file starting with a "---" line) or plain text (one paragraph per
line, kept exactly as written). Front matter keys: headline, slug, dek,
section, authors, tags, published, status, access, comments.

A plain-text file's headline is --headline or else its first line, if that
is at most 120 characters and does not end with a full stop. Plain text is
published now.

Every file is read and checked first; if any is wrong, nothing is imported.
A story whose slug already exists is updated, not duplicated.
`

// importConfig is the configuration of masthead story import.
type importConfig struct {
	dbConfig
	Headline string
	Section  string
	Access   string
}

// newImportFlags defines masthead story import's flags, storing into c.
// --headline, --section and --access describe particular files and have
// no environment variables.
func newImportFlags(c *importConfig) *flags {
	f := newFlags("story import", importHelp)
	f.StringVar(&c.Headline, "headline", "", "headline of a file that has none (only with a single FILE)")
	f.StringVar(&c.Section, "section", storyfile.DefaultSection, "section of stories whose file names none")
	f.StringVar(&c.Access, "access", "", "access of stories whose file says nothing: free, metered or premium (default metered)")
	addDBFlags(f, &c.dbConfig)
	return f
}

// runStoryImport is masthead story import.
func runStoryImport(ctx context.Context, args []string, sio *stdio) int {
	var cfg importConfig
	f := newImportFlags(&cfg)
	if status, ok := f.parseOrReport(args, sio); !ok {
		return status
	}
	files := f.Args()
	switch {
	case len(files) == 0:
		fmt.Fprint(sio.err, "masthead story import: name at least one FILE\nRun \"masthead story import --help\" for usage.\n")
		return exitUsage
	case cfg.Headline != "" && len(files) > 1:
		fmt.Fprint(sio.err, "masthead story import: --headline applies to one file; import the others separately\n")
		return exitUsage
	case cfg.Access != "" && !masthead.Access(cfg.Access).Valid():
		fmt.Fprintf(sio.err, "masthead story import: --access: %s\n", masthead.Msg(masthead.MsgAccessInvalid, cfg.Access))
		return exitUsage
	}
	logger, err := newLogger(sio.err, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		fmt.Fprintf(sio.err, "masthead story import: %v\n", err)
		return exitUsage
	}

	// Read and check every file before writing anything.
	opts := storyfile.Options{
		Headline: cfg.Headline,
		Section:  cfg.Section,
		Access:   masthead.Access(cfg.Access),
		Now:      time.Now(),
	}
	var stories []*masthead.Story
	failed := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err == nil {
			var s *masthead.Story
			if s, err = storyfile.Parse(name, data, opts); err == nil {
				stories = append(stories, s)
				continue
			}
		}
		fail(sio, "story import", err)
		failed++
	}
	if failed > 0 {
		fmt.Fprintf(sio.err, "masthead story import: %d of %d files have problems; nothing was imported\n", failed, len(files))
		return exitError
	}
	seen := map[string]string{}
	for i, s := range stories {
		if prev, dup := seen[s.Slug]; dup {
			fmt.Fprintf(sio.err, "masthead story import: %s and %s both have the slug %q; nothing was imported\n", prev, files[i], s.Slug)
			return exitError
		}
		seen[s.Slug] = files[i]
	}

	db, err := openDB(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return fail(sio, "story import", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fail(sio, "story import", err)
	}
	svc := newStoryService(db)
	for i, s := range stories {
		outcome := "created"
		if _, err := svc.FindStoryForEditing(ctx, s.Slug); err == nil {
			outcome = "updated"
		} else if masthead.ErrorCode(err) != masthead.ENOTFOUND {
			return fail(sio, "story import", fmt.Errorf("%s: %w", files[i], err))
		}
		if err := svc.SaveStory(ctx, s); err != nil {
			return fail(sio, "story import", fmt.Errorf("%s: %w", files[i], err))
		}
		fmt.Fprintf(sio.out, "imported %s (%s)\n", s.Slug, outcome)
	}
	return exitOK
}
