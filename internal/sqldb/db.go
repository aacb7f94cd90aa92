// Package sqldb implements masthead's storage services with database/sql,
// for SQLite (modernc.org/sqlite) and PostgreSQL (pgx) alike.
//
// Most SQL text is shared: both engines bind $1, $2 by number, and both
// understand INSERT ... ON CONFLICT ... RETURNING, row values and window
// functions. What differs — the schema, full-text search and how a time is
// stored — lives in dialect.go and in the per-dialect migrations.
//
// Exported methods are transaction boundaries; helpers take (ctx, tx).
// On SQLite every write goes through a single writer connection whose
// transactions begin IMMEDIATE, and reads go through a separate pool.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"masthead"

	// The two database/sql drivers: "pgx" and "sqlite".
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// Dialect names, as returned by DB.Dialect.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Options configure a DB.
type Options struct {
	// Now is the clock; it decides, among other things, which scheduled
	// stories are visible. The default is time.Now.
	Now func() time.Time
	// Renderer renders story bodies to HTML when they are saved. SaveStory
	// fails without one.
	Renderer masthead.BodyRenderer
	// Logger receives operational messages. The default is slog.Default().
	Logger *slog.Logger
	// ReadConns is the size of the SQLite read pool (default: one per
	// CPU the Go runtime uses, at least 2 and at most 4 — SQLite reads are
	// CPU-bound, and each connection keeps its own page cache and
	// statements), or the maximum number of PostgreSQL connections
	// (default 10).
	ReadConns int
	// ReadCacheKiB is the page cache of each SQLite connection, the
	// writer's included, in KiB (default 1024).
	ReadCacheKiB int
}

// DB is a connection to masthead's database, SQLite or PostgreSQL.
type DB struct {
	dialect string
	// write is the SQLite writer (one connection) or the PostgreSQL pool.
	write *sql.DB
	// read is the SQLite read pool, or the same PostgreSQL pool as write.
	read *sql.DB

	now      func() time.Time
	renderer masthead.BodyRenderer
	logger   *slog.Logger

	// readStmts caches statements prepared on the read pool, by SQL text.
	// Parsing SQL is the largest cost of a small read on SQLite, so the
	// read paths prepare each distinct query once and reuse it on every
	// connection. The set of texts is bounded: queries are built from a
	// fixed set of shapes (IN lists up to the page-size cap).
	readStmts sync.Map // string → *sql.Stmt
	preparing sync.Map // string → true while or once being prepared
	prepWG    sync.WaitGroup
}

// Open connects to the database at url without migrating it. The url is
// "sqlite:PATH" (the parent directory is created when missing) or a
// PostgreSQL URL starting "postgres://" or "postgresql://".
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	db := &DB{now: opts.Now, renderer: opts.Renderer, logger: opts.Logger}
	if db.now == nil {
		db.now = time.Now
	}
	if db.logger == nil {
		db.logger = slog.Default()
	}
	var err error
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		err = db.openSQLite(ctx, strings.TrimPrefix(url, "sqlite:"), opts.ReadConns, opts.ReadCacheKiB)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		err = db.openPostgres(ctx, url, opts.ReadConns)
	default:
		err = errors.New(`unknown database URL scheme (want "sqlite:PATH" or "postgres://...")`)
	}
	if err != nil {
		return nil, fmt.Errorf("sqldb: open: %w", err)
	}
	return db, nil
}

// defaultReadConns is the default size of the SQLite read pool: one
// connection per CPU the Go runtime uses, from 2 to 4.
func defaultReadConns() int { return min(4, max(2, runtime.GOMAXPROCS(0))) }

func (db *DB) openSQLite(ctx context.Context, path string, readConns, cacheKiB int) error {
	path = strings.TrimPrefix(path, "//")
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") || strings.Contains(path, "?") {
		return fmt.Errorf("SQLite path %q is not supported: give the path of a database file", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if readConns <= 0 {
		readConns = defaultReadConns()
	}
	if cacheKiB <= 0 {
		cacheKiB = 1024
	}
	// Every pooled connection runs the _pragma list when it opens.
	common := url.Values{}
	common.Add("_pragma", "busy_timeout(10000)")
	common.Add("_pragma", "foreign_keys(1)")

	w := url.Values{}
	for k, v := range common {
		w[k] = append([]string(nil), v...)
	}
	w.Add("_pragma", "journal_mode(WAL)")
	w.Add("_pragma", "synchronous(FULL)")
	w.Set("_txlock", "immediate") // every write transaction is BEGIN IMMEDIATE
	// The writer's page cache is the read connections' size too: writes
	// touch few pages (an insert, its indexes, a count), and the memory
	// stays resident once filled.
	w.Add("_pragma", fmt.Sprintf("cache_size(-%d)", cacheKiB))

	r := url.Values{}
	for k, v := range common {
		r[k] = append([]string(nil), v...)
	}
	r.Add("_pragma", "query_only(1)")
	// Each read connection keeps its own page cache; the operating
	// system caches the file for all of them, so a small one each keeps
	// the process small without reading more from disk.
	r.Add("_pragma", fmt.Sprintf("cache_size(-%d)", cacheKiB))

	write, err := sql.Open("sqlite", path+"?"+w.Encode())
	if err != nil {
		return err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// Open the writer first so that the file exists and is in WAL mode
	// before any reader looks at it.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return err
	}
	read, err := sql.Open("sqlite", path+"?"+r.Encode())
	if err != nil {
		write.Close()
		return err
	}
	read.SetMaxOpenConns(readConns)
	read.SetMaxIdleConns(readConns)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return err
	}
	db.dialect, db.write, db.read = DialectSQLite, write, read
	return nil
}

func (db *DB) openPostgres(ctx context.Context, url string, maxConns int) error {
	if maxConns <= 0 {
		maxConns = 10
	}
	p, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	p.SetMaxOpenConns(maxConns)
	p.SetMaxIdleConns(maxConns)
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return err
	}
	db.dialect, db.write, db.read = DialectPostgres, p, p
	return nil
}

// Close closes every connection.
func (db *DB) Close() error {
	var err error
	db.prepWG.Wait()
	db.readStmts.Range(func(q, st any) bool {
		err = errors.Join(err, st.(*sql.Stmt).Close())
		db.readStmts.Delete(q)
		return true
	})
	err = errors.Join(err, db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	if err != nil {
		return fmt.Errorf("sqldb: close: %w", err)
	}
	return nil
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// Pools returns the connection pools by name, for metrics: "read" and
// "write" on SQLite, "main" on PostgreSQL.
func (db *DB) Pools() map[string]*sql.DB {
	if db.dialect == DialectSQLite {
		return map[string]*sql.DB{"read": db.read, "write": db.write}
	}
	return map[string]*sql.DB{"main": db.write}
}

// Ready reports whether the database answers and every embedded migration
// has been applied.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("sqldb: ready: %w", err)
	}
	migs, err := db.migrations()
	if err != nil {
		return fmt.Errorf("sqldb: ready: %w", err)
	}
	applied, err := appliedVersions(ctx, db.read)
	if err != nil {
		return fmt.Errorf("sqldb: ready: %w", err)
	}
	for _, m := range migs {
		if !applied[m.version] {
			return fmt.Errorf("sqldb: ready: migration %s not applied", m.name)
		}
	}
	return nil
}

// queryer is what read helpers need: a *sql.Tx or a *sql.DB.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeTx runs fn in a write transaction (BEGIN IMMEDIATE on SQLite) and
// commits it if fn returns nil.
func (db *DB) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// readTx runs fn in a read-only transaction, so that the several queries
// of one page see one snapshot.
func (db *DB) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// queryRead runs the read query q in tx, a transaction of readTx. Once q
// has been prepared on the read pool it runs as that prepared statement
// (prepared again on tx's connection only the first time that connection
// sees it). The first time, it runs unprepared and q is prepared in the
// background: preparing on the pool needs a second connection, and waiting
// for one while tx holds the first could deadlock a busy pool.
func (db *DB) queryRead(ctx context.Context, tx *sql.Tx, q string, args ...any) (*sql.Rows, error) {
	if st, ok := db.readStmts.Load(q); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt)).QueryContext(ctx, args...)
	}
	db.prepareLater(q)
	return tx.QueryContext(ctx, q, args...)
}

// queryRowRead is queryRead for a query of at most one row.
func (db *DB) queryRowRead(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if st, ok := db.readStmts.Load(q); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt)).QueryRowContext(ctx, args...)
	}
	db.prepareLater(q)
	return tx.QueryRowContext(ctx, q, args...)
}

// prepareLater prepares q on the read pool in the background, once.
func (db *DB) prepareLater(q string) {
	if _, busy := db.preparing.LoadOrStore(q, true); busy {
		return
	}
	db.prepWG.Add(1)
	go func() {
		defer db.prepWG.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		st, err := db.read.PrepareContext(ctx, q)
		if err != nil {
			db.preparing.Delete(q) // try again next time
			return
		}
		db.readStmts.Store(q, st)
	}()
}

// clock returns the current time as stored: UTC, to the microsecond (the
// precision of a PostgreSQL timestamptz), so both engines agree.
func (db *DB) clock() time.Time {
	return storedTime(db.now())
}

// storedTime returns t as the database keeps it.
func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// queryRowPool is queryRowRead for a lone query outside any transaction:
// one round trip, no BEGIN and COMMIT, for the hottest single-row reads.
func (db *DB) queryRowPool(ctx context.Context, q string, args ...any) *sql.Row {
	if st, ok := db.readStmts.Load(q); ok {
		return st.(*sql.Stmt).QueryRowContext(ctx, args...)
	}
	db.prepareLater(q)
	return db.read.QueryRowContext(ctx, q, args...)
}
