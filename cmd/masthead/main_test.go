package main

import (
	"encoding/json"
	"net/http/cookiejar"
	neturl "net/url"

	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/demo"
	"masthead/internal/seedtest"
)

// syncBuffer is a bytes.Buffer safe for a command writing and a test
// reading at the same time.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cli runs masthead with args and an environment of exactly env, and
// returns the exit status, stdout and stderr.
func cli(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return cliWithInput(t, env, "", args...)
}

// cliWithInput runs a command line with input on standard input.
func cliWithInput(t *testing.T, env map[string]string, input string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncBuffer
	status := run(t.Context(), args, &stdio{
		in: strings.NewReader(input), out: &out, err: &errOut,
		getenv: func(k string) string { return env[k] },
	})
	return status, out.String(), errOut.String()
}

func TestFlagsBeatEnvBeatDefaults(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want func(c *serveConfig) (got, want any)
	}{
		{"default addr", nil, nil,
			func(c *serveConfig) (any, any) { return c.Addr, ":8080" }},
		{"default database", nil, nil,
			func(c *serveConfig) (any, any) { return c.DatabaseURL, "sqlite:./masthead-data/masthead.db" }},
		{"default timeouts", nil, nil,
			func(c *serveConfig) (any, any) {
				return []any{c.ReadHeaderTimeout, c.ReadTimeout, c.WriteTimeout, c.IdleTimeout, c.ShutdownTimeout, c.MaxHeaderBytes},
					[]any{5 * time.Second, 30 * time.Second, 60 * time.Second, 120 * time.Second, 20 * time.Second, 64 << 10}
			}},
		{"env beats default", nil, map[string]string{"MASTHEAD_ADDR": ":9000"},
			func(c *serveConfig) (any, any) { return c.Addr, ":9000" }},
		{"flag beats env", []string{"--addr", ":7000"}, map[string]string{"MASTHEAD_ADDR": ":9000"},
			func(c *serveConfig) (any, any) { return c.Addr, ":7000" }},
		{"env database", nil, map[string]string{"MASTHEAD_DATABASE_URL": "postgres://x/y"},
			func(c *serveConfig) (any, any) { return c.DatabaseURL, "postgres://x/y" }},
		{"env and flag for different settings", []string{"-site-name", "Flag Times"},
			map[string]string{"MASTHEAD_SITE_NAME": "Env Gazette", "MASTHEAD_TIME_ZONE": "Asia/Tokyo", "MASTHEAD_BASE_URL": "https://news.example"},
			func(c *serveConfig) (any, any) {
				return []string{c.SiteName, c.TimeZone, c.BaseURL}, []string{"Flag Times", "Asia/Tokyo", "https://news.example"}
			}},
		{"env bool and duration", nil, map[string]string{"MASTHEAD_DEMO": "true", "MASTHEAD_SHUTDOWN_TIMEOUT": "3s"},
			func(c *serveConfig) (any, any) { return []any{c.Demo, c.ShutdownTimeout}, []any{true, 3 * time.Second} }},
		{"flag false beats env true", []string{"--demo=false"}, map[string]string{"MASTHEAD_DEMO": "1"},
			func(c *serveConfig) (any, any) { return c.Demo, false }},
		{"log settings", []string{"--log-level", "debug"}, map[string]string{"MASTHEAD_LOG_FORMAT": "json", "MASTHEAD_LOG_LEVEL": "warn"},
			func(c *serveConfig) (any, any) { return []string{c.LogFormat, c.LogLevel}, []string{"json", "debug"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c serveConfig
			err := newServeFlags(&c).parse(tt.args, func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got, want := tt.want(&c)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestBadSettings(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad env duration", nil, map[string]string{"MASTHEAD_READ_TIMEOUT": "soon"}, "MASTHEAD_READ_TIMEOUT"},
		{"bad env int", nil, map[string]string{"MASTHEAD_MAX_HEADER_BYTES": "lots"}, "MASTHEAD_MAX_HEADER_BYTES"},
		{"unknown flag", []string{"--nope"}, nil, "nope"},
		{"bad flag duration", []string{"--write-timeout", "x"}, nil, "write-timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, stderr := cli(t, tt.env, append([]string{"serve"}, tt.args...)...)
			if status != exitUsage {
				t.Errorf("status = %d, want %d", status, exitUsage)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want it to mention %q", stderr, tt.want)
			}
		})
	}

	for _, tt := range []struct {
		name string
		c    func(*serveConfig)
	}{
		{"zero timeout", func(c *serveConfig) { c.ReadTimeout = 0 }},
		{"tiny header limit", func(c *serveConfig) { c.MaxHeaderBytes = 10 }},
		{"addr without port", func(c *serveConfig) { c.Addr = "localhost" }},
		{"negative SQLite read connections", func(c *serveConfig) { c.SQLiteReadConns = -1 }},
		{"too many SQLite read connections", func(c *serveConfig) { c.SQLiteReadConns = 65 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c serveConfig
			if err := newServeFlags(&c).parse(nil, func(string) string { return "" }); err != nil {
				t.Fatal(err)
			}
			tt.c(&c)
			if err := c.validate(); err == nil {
				t.Error("validate accepted a bad setting")
			}
		})
	}
}

func TestBaseURLFor(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"127.0.0.1:43123", "http://127.0.0.1:43123"},
		{"0.0.0.0:8080", "http://localhost:8080"},
		{"[::]:8080", "http://localhost:8080"},
		{"[::1]:8080", "http://[::1]:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			addr, err := net.ResolveTCPAddr("tcp", tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if got := baseURLFor(addr); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		status int
		stdout []string
		stderr []string
	}{
		{"version", []string{"version"}, exitOK, []string{"masthead "}, nil},
		{"--version", []string{"--version"}, exitOK, []string{"masthead "}, nil},
		{"top-level help", []string{"--help"}, exitOK, []string{"serve", "migrate", "story", "version"}, nil},
		{"help command", []string{"help"}, exitOK, []string{"serve", "migrate"}, nil},
		{"no command", nil, exitUsage, nil, []string{"Usage:", "serve"}},
		{"unknown command", []string{"frobnicate"}, exitUsage, nil, []string{`unknown command "frobnicate"`}},
		{"serve help", []string{"serve", "--help"}, exitOK, []string{"Usage: masthead serve", "-addr", "MASTHEAD_ADDR", "MASTHEAD_DATABASE_URL", "MASTHEAD_SHUTDOWN_TIMEOUT", "sqlite:./masthead-data/masthead.db"}, nil},
		{"help serve", []string{"help", "serve"}, exitOK, []string{"Usage: masthead serve"}, nil},
		{"migrate help", []string{"migrate", "-h"}, exitOK, []string{"Usage: masthead migrate", "MASTHEAD_LOG_LEVEL"}, nil},
		{"import help", []string{"story", "import", "--help"}, exitOK, []string{"Usage: masthead story import", "-headline", "-section", "-access"}, nil},
		{"story help", []string{"story", "--help"}, exitOK, []string{"import"}, nil},
		{"version help", []string{"version", "--help"}, exitOK, []string{"Usage: masthead version"}, nil},
		{"import without files", []string{"story", "import"}, exitUsage, nil, []string{"at least one FILE"}},
		{"import bad access", []string{"story", "import", "--access", "gold", "x.txt"}, exitUsage, nil, []string{`"gold"`}},
		{"import headline with two files", []string{"story", "import", "--headline", "H", "a.txt", "b.txt"}, exitUsage, nil, []string{"--headline applies to one file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := cli(t, nil, tt.args...)
			if status != tt.status {
				t.Errorf("status = %d, want %d (stderr %q)", status, tt.status, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

func TestVersionFromLdflags(t *testing.T) {
	old := version
	t.Cleanup(func() { version = old })
	version = "v9.8.7"
	_, stdout, _ := cli(t, nil, "version")
	if !strings.HasPrefix(stdout, "masthead v9.8.7") {
		t.Errorf("stdout = %q, want it to start with %q", stdout, "masthead v9.8.7")
	}
}

// seedStory returns the path of the shared seed story.
func seedStory(t *testing.T) string {
	t.Helper()
	return seedtest.StoryPath(t)
}

// openStories opens the SQLite database at url, migrated, for checking
// what a command wrote.
func openStories(t *testing.T, url string) masthead.StoryService {
	t.Helper()
	db, err := openDB(t.Context(), url, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return newStoryService(db)
}

func TestStoryImport(t *testing.T) {
	seed := seedStory(t)
	dir := t.TempDir()
	env := map[string]string{"MASTHEAD_DATABASE_URL": "sqlite:" + filepath.Join(dir, "data", "m.db")}
	const headline = "Japan and North Korea still at odds"
	const slug = "japan-and-north-korea-still-at-odds"

	status, stdout, stderr := cli(t, env, "story", "import", "--headline", headline, "--section", "World", seed)
	if status != exitOK {
		t.Fatalf("import: status %d, stderr %q", status, stderr)
	}
	if got, want := stdout, "imported "+slug+" (created)\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}

	// Re-importing updates the same story.
	status, stdout, stderr = cli(t, env, "story", "import", "--headline", headline, "--section", "World", "--access", "free", seed)
	if status != exitOK {
		t.Fatalf("re-import: status %d, stderr %q", status, stderr)
	}
	if got, want := stdout, "imported "+slug+" (updated)\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}

	// A malformed file is refused, named, and nothing is written, not even
	// the good file beside it.
	bad := filepath.Join(dir, "bad.md")
	if err := os.WriteFile(bad, []byte("---\nheadline: Fine\naccess: gold\n---\nBody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.md")
	if err := os.WriteFile(good, []byte("---\nheadline: A good story\npublished: 2020-01-02\n---\nBody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.txt")
	status, stdout, stderr = cli(t, env, "story", "import", good, bad, missing)
	if status != exitError {
		t.Errorf("bad import: status = %d, want %d", status, exitError)
	}
	if stdout != "" {
		t.Errorf("bad import printed %q", stdout)
	}
	for _, w := range []string{bad + ":3:", `"gold"`, "missing.txt", "nothing was imported"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}

	stories := openStories(t, env["MASTHEAD_DATABASE_URL"])
	ctx := t.Context()
	if n, err := stories.CountStories(ctx); err != nil || n != 1 {
		t.Errorf("CountStories = %d, %v; want 1", n, err)
	}
	s, err := stories.FindStoryBySlug(ctx, slug)
	if err != nil {
		t.Fatalf("FindStoryBySlug: %v", err)
	}
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, " \t\r"))
		}
	}
	got := masthead.Paragraphs(s.Body)
	if len(got) != len(lines) {
		t.Fatalf("paragraphs = %d, want %d", len(got), len(lines))
	}
	for i := range lines {
		if got[i] != lines[i] {
			t.Errorf("paragraph %d = %q, want %q", i, got[i], lines[i])
		}
	}
	if got, want := s.Headline, headline; got != want {
		t.Errorf("headline = %q, want %q", got, want)
	}
	if got, want := s.Access, masthead.AccessFree; got != want {
		t.Errorf("access = %q, want %q (the re-import set it)", got, want)
	}
	if got, want := s.Section.Slug, "world"; got != want {
		t.Errorf("section = %q, want %q", got, want)
	}
	if got, want := strings.Count(s.BodyHTML, "<p>"), len(lines); got != want {
		t.Errorf("BodyHTML has %d paragraphs, want %d", got, want)
	}

	// Search finds the story by a word that only its body has.
	results, err := stories.SearchStories(ctx, "abductees", 10)
	if err != nil {
		t.Fatalf("SearchStories: %v", err)
	}
	if len(results) != 1 || results[0].Story.Slug != slug {
		t.Errorf("search for %q found %d results, want the seed story", "abductees", len(results))
	}
}

func TestStoryImportSeedWithoutHeadline(t *testing.T) {
	seed := seedStory(t)
	env := map[string]string{"MASTHEAD_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "m.db")}
	status, _, stderr := cli(t, env, "story", "import", seed)
	if status != exitError {
		t.Errorf("status = %d, want %d", status, exitError)
	}
	if want := seed + ":1: the first line is too long to be a headline"; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr, want)
	}
}

var listeningURL = regexp.MustCompile(`listening.* url=(\S+)`)

func TestServe(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	env := map[string]string{"MASTHEAD_DATABASE_URL": dbURL, "MASTHEAD_LOG_FORMAT": "text"}

	start := func(t *testing.T, args ...string) (url string, stderr *syncBuffer, stop func() int) {
		t.Helper()
		ctx, cancel := context.WithCancel(t.Context())
		stderr = &syncBuffer{}
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), &stdio{
				in: strings.NewReader(""), out: io.Discard, err: stderr,
				getenv: func(k string) string { return env[k] },
			})
		}()
		deadline := time.Now().Add(30 * time.Second)
		for {
			if m := listeningURL.FindStringSubmatch(stderr.String()); m != nil {
				url = m[1]
				break
			}
			select {
			case status := <-done:
				cancel()
				t.Fatalf("serve exited with %d before listening:\n%s", status, stderr)
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				cancel()
				t.Fatalf("serve never said it was listening:\n%s", stderr)
			}
		}
		return url, stderr, func() int {
			cancel()
			select {
			case status := <-done:
				return status
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not stop")
				return -1
			}
		}
	}

	get := func(t *testing.T, url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	url, stderr, stop := start(t, "--demo")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Errorf("url = %q, want the real port", url)
	}
	for _, path := range []string{"/healthz", "/readyz", "/"} {
		if status, body := get(t, url+path); status != http.StatusOK {
			t.Errorf("GET %s = %d:\n%.300s", path, status, body)
		}
	}
	if status, body := get(t, url+"/metrics"); status != http.StatusOK || !strings.Contains(body, `go_sql_open_connections{db_name="write"}`) {
		t.Errorf("GET /metrics = %d, lacks the database pool metrics:\n%.500s", status, body)
	}
	if !strings.Contains(stderr.String(), "demo newsroom created") {
		t.Errorf("no demo log line:\n%s", stderr)
	}
	if !strings.Contains(stderr.String(), "password masthead-demo") {
		t.Errorf("the demo password and its warning are not in the log:\n%s", stderr)
	}
	// Every demo account signs in with the demo password; the ones with a
	// display name show it in the header.
	for _, d := range demo.Accounts() {
		t.Run("demo account "+d.Email, func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			client := &http.Client{Jar: jar}
			resp, err := client.PostForm(url+"/signin", neturl.Values{"email": {d.Email}, "password": {demo.Password}})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if d.TwoFactorSecret != "" {
				// The second step, with a code of the published demo key.
				if resp.Request.URL.Path != "/signin/two-factor" {
					t.Fatalf("sign in with two-factor on: at %s, want /signin/two-factor", resp.Request.URL.Path)
				}
				code := masthead.TOTPCode(d.TwoFactorSecret, masthead.TOTPStep(time.Now()))
				resp, err = client.PostForm(url+"/signin/two-factor", neturl.Values{"code": {code}})
				if err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/account" {
				t.Fatalf("sign in: status %d at %s, want 200 at /account:\n%.500s", resp.StatusCode, resp.Request.URL.Path, body)
			}
			resp, err = client.Get(url + "/api/v1/me")
			if err != nil {
				t.Fatal(err)
			}
			var me struct {
				Email         string `json:"email"`
				Role          string `json:"role"`
				DisplayName   string `json:"display_name"`
				EmailVerified bool   `json:"email_verified"`
			}
			err = json.NewDecoder(resp.Body).Decode(&me)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("GET /api/v1/me: %v", err)
			}
			if me.Email != d.Email || me.Role != string(d.Role) || me.DisplayName != d.DisplayName || !me.EmailVerified {
				t.Errorf("/api/v1/me = %+v, want %s, %s, name %q, verified", me, d.Email, d.Role, d.DisplayName)
			}
		})
	}
	if status := stop(); status != exitOK {
		t.Errorf("serve exit status = %d, want 0:\n%s", status, stderr)
	}

	// A second --demo leaves the now non-empty database alone.
	_, stderr, stop = start(t, "--demo")
	if status := stop(); status != exitOK {
		t.Errorf("second serve exit status = %d:\n%s", status, stderr)
	}
	if !strings.Contains(stderr.String(), "database is not empty; --demo changed nothing") {
		t.Errorf("no warning about the non-empty database:\n%s", stderr)
	}
	stories := openStories(t, dbURL)
	n, err := stories.CountStories(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n < 12 {
		t.Errorf("CountStories = %d, want the demo's stories", n)
	}
}

func TestStaffCreate(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	env := map[string]string{"MASTHEAD_DATABASE_URL": dbURL}
	tests := []struct {
		name       string
		input      string
		args       []string
		wantStatus int
		wantOut    string
		wantErr    string
	}{
		{"creates an editor", "a long editorial passphrase\n", []string{"--email", "Ed@Example.com", "--role", "editor"},
			exitOK, "staff account Ed@example.com is editor\n", ""},
		{"promotes to admin", "another long passphrase\n", []string{"--email", "ed@example.com", "--role", "admin"},
			exitOK, "is admin\n", ""},
		{"no email", "whatever passphrase\n", []string{"--role", "editor"}, exitUsage, "", "--email is required"},
		{"subscriber is not a staff role", "whatever passphrase\n", []string{"--email", "x@example.com", "--role", "subscriber"},
			exitUsage, "", "--role must be admin, editor or moderator"},
		{"no password", "", []string{"--email", "x@example.com", "--role", "moderator"}, exitError, "", "no password on standard input"},
		{"common password", "password123\n", []string{"--email", "x@example.com", "--role", "moderator"},
			exitError, "", masthead.Msg(masthead.MsgPasswordTooCommon)},
		{"bad email", "a long enough passphrase\n", []string{"--email", "not-an-address", "--role", "moderator"},
			exitError, "", masthead.Msg(masthead.MsgEmailInvalid)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out, errOut := cliWithInput(t, env, tt.input, append([]string{"staff", "create"}, tt.args...)...)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d (stderr %q)", status, tt.wantStatus, errOut)
			}
			if tt.wantOut != "" && !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout = %q, want it to contain %q", out, tt.wantOut)
			}
			if tt.wantErr != "" && !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.wantErr)
			}
		})
	}
}
