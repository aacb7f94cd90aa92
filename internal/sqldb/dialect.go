package sqldb

// This file holds the differences between SQLite and PostgreSQL that are
// not in the migrations: how a time is bound and scanned, the migration
// bookkeeping table, and full-text search.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// timeArg returns t as a query argument: INTEGER unix nanoseconds on
// SQLite, a time.Time for a PostgreSQL timestamptz. The zero time is NULL.
func (db *DB) timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if db.dialect == DialectSQLite {
		return t.UnixNano()
	}
	return t.UTC()
}

// timeCol scans a time column of either dialect into a UTC time.Time; NULL
// becomes the zero time.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.Unix(0, v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("sqldb: cannot scan %T into a time", src)
	}
	return nil
}

// createMigrationsTable returns the statement that creates the table
// recording applied migrations.
func (db *DB) createMigrationsTable() string {
	if db.dialect == DialectSQLite {
		return `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at INTEGER NOT NULL
) STRICT`
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TIMESTAMPTZ NOT NULL
)`
}

// maxSearchTerms bounds how many words of a query are searched for.
const maxSearchTerms = 16

// searchTerms splits a user's query into words: runs of letters, digits
// and combining marks. Everything else, including every character with a
// meaning in FTS5 or tsquery syntax, separates words, so no input can
// cause a syntax error.
func searchTerms(q string) []string {
	words := strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	var out []string
	seen := map[string]bool{}
	for _, w := range words {
		w = strings.ToLower(w)
		if seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
		if len(out) == maxSearchTerms {
			break
		}
	}
	return out
}

// searchQuery returns the engine's full-text query for terms: every term
// must match, as a word or the start of one.
func (db *DB) searchQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		if db.dialect == DialectSQLite {
			// An FTS5 string is "..." with " doubled; terms hold none,
			// but quote defensively all the same.
			parts[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"*`
		} else {
			// A tsquery lexeme is '...' with ' doubled; :* asks for
			// prefix matching.
			parts[i] = `'` + strings.ReplaceAll(t, `'`, `''`) + `':*`
		}
	}
	if db.dialect == DialectSQLite {
		return strings.Join(parts, " AND ")
	}
	return strings.Join(parts, " & ")
}

// searchSQL returns the search query: $1 is the engine's full-text query,
// $2 the current time, $3 the limit. Its columns are listColumns and then
// the rank, larger being better.
func (db *DB) searchSQL() string {
	if db.dialect == DialectSQLite {
		// bm25 is smaller for better matches; weights favour the
		// headline over the dek over the body.
		return `SELECT ` + listColumns + `, -bm25(stories_fts, 10.0, 4.0, 1.0) AS rank
FROM stories_fts
JOIN stories s ON s.id = stories_fts.rowid
JOIN sections sec ON sec.id = s.section_id
WHERE stories_fts MATCH $1 AND ` + visibleAt("$2") + `
ORDER BY rank DESC, s.published_at DESC, s.id DESC
LIMIT $3`
	}
	// search is a generated tsvector, weighted A (headline), B (dek) and
	// C (body).
	return `SELECT ` + listColumns + `, ts_rank(s.search, q) AS rank
FROM stories s
JOIN sections sec ON sec.id = s.section_id
CROSS JOIN to_tsquery('english', $1) AS q
WHERE s.search @@ q AND ` + visibleAt("$2") + `
ORDER BY rank DESC, s.published_at DESC, s.id DESC
LIMIT $3`
}

// placeholders returns "$from, $from+1, ..." for n arguments.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$")
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}
