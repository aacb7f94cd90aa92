package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migrateLockKey is the pg_advisory_lock key that serialises Migrate
// across processes sharing one PostgreSQL database.
const migrateLockKey int64 = 0x6d61737468656164 // "masthead"

// migration is one embedded .sql file, NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the dialect's embedded migrations in version order.
func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + db.dialect
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a version", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// Migrate applies every embedded migration not yet applied, each in its own
// transaction. Several processes may call it at once: on PostgreSQL they
// queue on an advisory lock, on SQLite on the write lock, and each
// migration is applied exactly once.
func (db *DB) Migrate(ctx context.Context) error {
	migs, err := db.migrations()
	if err != nil {
		return fmt.Errorf("sqldb: migrate: %w", err)
	}
	if db.dialect == DialectPostgres {
		err = db.migratePostgres(ctx, migs)
	} else {
		err = db.migrateWith(ctx, db.write, migs)
	}
	if err != nil {
		return fmt.Errorf("sqldb: migrate: %w", err)
	}
	return nil
}

// migratePostgres holds a session advisory lock on one dedicated
// connection while it migrates through that connection.
func (db *DB) migratePostgres(ctx context.Context, migs []migration) (err error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer func() {
		// A context that has ended cannot unlock; closing the connection
		// ends the session, which releases the lock.
		if _, uerr := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey); uerr != nil {
			db.logger.Warn("sqldb: migrate: unlock", "err", uerr)
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return db.migrateWith(ctx, conn, migs)
}

// txBeginner is a *sql.DB or a *sql.Conn.
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (db *DB) migrateWith(ctx context.Context, c txBeginner, migs []migration) error {
	if _, err := c.ExecContext(ctx, db.createMigrationsTable()); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range migs {
		if err := db.applyMigration(ctx, c, m); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return nil
}

// applyMigration applies m in a transaction unless it has been applied
// already; the check is inside the transaction.
func (db *DB) applyMigration(ctx context.Context, c txBeginner, m migration) error {
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, db.timeArg(db.clock())); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	db.logger.Info("sqldb: applied migration", "dialect", db.dialect, "migration", m.name)
	return nil
}

// appliedVersions returns the versions recorded in schema_migrations.
func appliedVersions(ctx context.Context, q queryer) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

// Exclusive runs fn while holding a database-wide lock named key, so that
// instances starting at once on one PostgreSQL database do fn one after
// another (seeding the demo, say, which fn must then check is still to
// do). On SQLite, which one instance uses, it just runs fn.
func (db *DB) Exclusive(ctx context.Context, key int64, fn func() error) error {
	if db.dialect != DialectPostgres {
		return fn()
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqldb: exclusive: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("sqldb: exclusive: lock: %w", err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key); err != nil {
			db.logger.Warn("sqldb: exclusive: unlock", "err", err)
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return fn()
}
