package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"html"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/pgtest"
	"masthead/internal/sqldb"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// epoch is where every test clock starts.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// fakeRenderer escapes each paragraph and wraps it in <p>.
type fakeRenderer struct{ err error }

func (r fakeRenderer) RenderBody(format masthead.BodyFormat, body string) (string, error) {
	if r.err != nil {
		return "", r.err
	}
	var b strings.Builder
	for _, p := range masthead.Paragraphs(body) {
		b.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
	}
	return b.String(), nil
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// forEachEngine runs fn, as parallel subtests, with the URL of a fresh
// empty database of each engine.
func forEachEngine(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	engines := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "sub", "masthead.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.URL(t) }},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			fn(t, e.url(t))
		})
	}
}

// openDB opens url with the test renderer and clock.
func openDB(t *testing.T, url string, clk *fakeClock, opts ...func(*sqldb.Options)) *sqldb.DB {
	t.Helper()
	o := sqldb.Options{Now: clk.Now, Renderer: fakeRenderer{}, Logger: discard}
	for _, f := range opts {
		f(&o)
	}
	db, err := sqldb.Open(context.Background(), url, o)
	if err != nil {
		t.Fatalf("Open(%q): %v", url, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// forEachDB runs fn with a migrated, empty database of each engine and the
// clock it uses.
func forEachDB(t *testing.T, fn func(t *testing.T, db *sqldb.DB, clk *fakeClock)) {
	t.Helper()
	forEachEngine(t, func(t *testing.T, url string) {
		clk := &fakeClock{t: epoch}
		db := openDB(t, url, clk)
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		fn(t, db, clk)
	})
}

// pool returns a pool for ad-hoc queries.
func pool(t *testing.T, db *sqldb.DB) *sql.DB {
	t.Helper()
	pools := db.Pools()
	if p, ok := pools["main"]; ok {
		return p
	}
	return pools["read"]
}

// countRows returns SELECT COUNT(*) FROM table.
func countRows(t *testing.T, db *sqldb.DB, table string) int {
	t.Helper()
	var n int
	if err := pool(t, db).QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// migrationFiles returns how many migrations the dialect embeds.
func migrationFiles(t *testing.T, dialect string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("migrations", dialect, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations for %s: %v", dialect, err)
	}
	return len(files)
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name string
		url  string
	}{
		{"unknown scheme", "mysql://localhost/x"},
		{"empty", ""},
		{"memory", "sqlite::memory:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqldb.Open(context.Background(), tt.url, sqldb.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) = nil error, want an error", tt.url)
			}
		})
	}
}

func TestDialectAndPools(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		want := map[string][]string{"sqlite": {"read", "write"}, "postgres": {"main"}}[db.Dialect()]
		if want == nil {
			t.Fatalf("Dialect() = %q, want sqlite or postgres", db.Dialect())
		}
		pools := db.Pools()
		if len(pools) != len(want) {
			t.Errorf("len(Pools()) = %d, want %d", len(pools), len(want))
		}
		for _, name := range want {
			if pools[name] == nil {
				t.Errorf("Pools()[%q] = nil", name)
			}
		}
	})
}

func TestMigrateTwiceIsNoOp(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		svc := sqldb.NewStoryService(db)
		if err := svc.SaveStory(ctx, newStory("kept", epoch.Add(-time.Hour))); err != nil {
			t.Fatalf("SaveStory: %v", err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if got, want := countRows(t, db, "schema_migrations"), migrationFiles(t, db.Dialect()); got != want {
			t.Errorf("schema_migrations rows = %d, want %d", got, want)
		}
		if n, err := svc.CountStories(ctx); err != nil || n != 1 {
			t.Errorf("CountStories() = %d, %v; want 1, nil", n, err)
		}
	})
}

func TestConcurrentMigrate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, url string) {
		clk := &fakeClock{t: epoch}
		dbs := []*sqldb.DB{openDB(t, url, clk), openDB(t, url, clk), openDB(t, url, clk)}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, len(dbs))
		for i, db := range dbs {
			wg.Go(func() {
				<-start
				errs[i] = db.Migrate(context.Background())
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Migrate on handle %d: %v", i, err)
			}
		}
		if got, want := countRows(t, dbs[0], "schema_migrations"), migrationFiles(t, dbs[0].Dialect()); got != want {
			t.Errorf("schema_migrations rows = %d, want %d", got, want)
		}
		for i, db := range dbs {
			if err := db.Ready(context.Background()); err != nil {
				t.Errorf("Ready on handle %d: %v", i, err)
			}
		}
	})
}

func TestReady(t *testing.T) {
	forEachEngine(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := openDB(t, url, &fakeClock{t: epoch})
		if err := db.Ready(ctx); err == nil {
			t.Errorf("Ready before Migrate = nil, want an error")
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		if err := db.Ready(ctx); err != nil {
			t.Errorf("Ready after Migrate = %v, want nil", err)
		}
	})
}

func TestReadyFailsAfterClose(t *testing.T) {
	forEachEngine(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := sqldb.Open(ctx, url, sqldb.Options{Logger: discard})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		db.Close()
		if err := db.Ready(ctx); err == nil {
			t.Errorf("Ready after Close = nil, want an error")
		}
	})
}

// errCode returns the application error code of err.
func errCode(err error) string { return masthead.ErrorCode(err) }

var errRender = errors.New("renderer broke")

// TestDefaultReadConns: one SQLite read connection per CPU the Go runtime
// uses, from 2 to 4, and the pool is that size.
func TestDefaultReadConns(t *testing.T) {
	for procs, want := range map[int]int{1: 2, 2: 2, 3: 3, 4: 4, 16: 4} {
		old := runtime.GOMAXPROCS(procs)
		got := sqldb.DefaultReadConns()
		runtime.GOMAXPROCS(old)
		if got != want {
			t.Errorf("GOMAXPROCS %d: %d read connections, want %d", procs, got, want)
		}
	}
	db, err := sqldb.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "m.db"), sqldb.Options{ReadConns: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := db.Pools()["read"].Stats().MaxOpenConnections; got != 3 {
		t.Errorf("read pool of %d connections, want 3", got)
	}
}
