package main

// Micro-benchmarks of alternative SQL for the hot storage calls, run against
// the same database file as the handler benchmarks, to show what a change in
// internal/sqldb would buy before anyone makes it. They use database/sql and
// modernc.org/sqlite directly, with the read pool's settings.

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"
)

func rawReadDB(b *testing.B) *sql.DB {
	b.Helper()
	setup(b)
	path := os.Getenv("MASTHEAD_BENCH_DB")
	if path == "" {
		path = fixture.dir + "/masthead.db"
	}
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	b.Cleanup(func() { db.Close() })
	return db
}

const (
	sqlStory = `SELECT s.id, s.slug, s.headline, s.dek, s.body, s.body_format, s.body_html,
	s.status, s.access, s.comments, s.comment_count, s.published_at, s.created_at, s.updated_at,
	sec.id, sec.slug, sec.name, sec.description, sec.position
FROM stories s JOIN sections sec ON sec.id = s.section_id
WHERE s.slug = $1 AND s.status <> 'draft' AND s.published_at <= $2`
	sqlAuthors = `SELECT sa.story_id, a.id, a.slug, a.name, a.bio
FROM story_authors sa JOIN authors a ON a.id = sa.author_id
WHERE sa.story_id IN ($1) ORDER BY sa.story_id, sa.position`
	sqlTags = `SELECT st.story_id, t.id, t.slug, t.name
FROM story_tags st JOIN tags t ON t.id = st.tag_id
WHERE st.story_id IN ($1) ORDER BY st.story_id, st.position`
	// sqlStoryOne is the story with its authors and tags in one statement.
	sqlStoryOne = `SELECT s.id, s.slug, s.headline, s.dek, s.body, s.body_format, s.body_html,
	s.status, s.access, s.comments, s.comment_count, s.published_at, s.created_at, s.updated_at,
	sec.id, sec.slug, sec.name, sec.description, sec.position,
	(SELECT json_group_array(json_array(a.id, a.slug, a.name, a.bio)) FROM (SELECT a.* FROM story_authors sa JOIN authors a ON a.id = sa.author_id WHERE sa.story_id = s.id ORDER BY sa.position) a),
	(SELECT json_group_array(json_array(t.id, t.slug, t.name)) FROM (SELECT t.* FROM story_tags st JOIN tags t ON t.id = st.tag_id WHERE st.story_id = s.id ORDER BY st.position) t)
FROM stories s JOIN sections sec ON sec.id = s.section_id
WHERE s.slug = $1 AND s.status <> 'draft' AND s.published_at <= $2`
)

type storyRow struct {
	id, commentCount, pub, created, updated, secID, secPos int64
	slug, headline, dek, body, format, html, status, access, comments,
	secSlug, secName, secDesc string
}

func (r *storyRow) dest() []any {
	return []any{&r.id, &r.slug, &r.headline, &r.dek, &r.body, &r.format, &r.html, &r.status, &r.access,
		&r.comments, &r.commentCount, &r.pub, &r.created, &r.updated, &r.secID, &r.secSlug, &r.secName, &r.secDesc, &r.secPos}
}

func drain(rows *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(sql.RawBytes)
	}
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// As FindStoryBySlug does it today: a read transaction, three statements,
// each prepared afresh.
func BenchmarkSQLStoryTxThreeQueries(b *testing.B) {
	db := rawReadDB(b)
	ctx := context.Background()
	now := time.Now().UnixNano()
	for b.Loop() {
		tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		var r storyRow
		if err := tx.QueryRowContext(ctx, sqlStory, fixture.pages.Story, now).Scan(r.dest()...); err != nil {
			b.Fatal(err)
		}
		if err := drain(tx.QueryContext(ctx, sqlAuthors, r.id)); err != nil {
			b.Fatal(err)
		}
		if err := drain(tx.QueryContext(ctx, sqlTags, r.id)); err != nil {
			b.Fatal(err)
		}
		tx.Commit()
	}
}

// The same three statements prepared once and reused, still in a
// transaction.
func BenchmarkSQLStoryTxThreePrepared(b *testing.B) {
	db := rawReadDB(b)
	ctx := context.Background()
	now := time.Now().UnixNano()
	var stmts [3]*sql.Stmt
	for i, q := range []string{sqlStory, sqlAuthors, sqlTags} {
		var err error
		if stmts[i], err = db.PrepareContext(ctx, q); err != nil {
			b.Fatal(err)
		}
		defer stmts[i].Close()
	}
	for b.Loop() {
		tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		var r storyRow
		if err := tx.StmtContext(ctx, stmts[0]).QueryRowContext(ctx, fixture.pages.Story, now).Scan(r.dest()...); err != nil {
			b.Fatal(err)
		}
		if err := drain(tx.StmtContext(ctx, stmts[1]).QueryContext(ctx, r.id)); err != nil {
			b.Fatal(err)
		}
		if err := drain(tx.StmtContext(ctx, stmts[2]).QueryContext(ctx, r.id)); err != nil {
			b.Fatal(err)
		}
		tx.Commit()
	}
}

// One statement returning the story with its authors and tags as JSON, no
// transaction, prepared once.
func BenchmarkSQLStoryOnePrepared(b *testing.B) {
	db := rawReadDB(b)
	ctx := context.Background()
	now := time.Now().UnixNano()
	stmt, err := db.PrepareContext(ctx, sqlStoryOne)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	for b.Loop() {
		var r storyRow
		var authors, tags string
		if err := stmt.QueryRowContext(ctx, fixture.pages.Story, now).Scan(append(r.dest(), &authors, &tags)...); err != nil {
			b.Fatal(err)
		}
	}
}

const sqlHomeNow = `SELECT s.id, s.slug, s.headline, s.dek, s.body, s.body_format, s.body_html,
	s.status, s.access, s.comments, s.comment_count, s.published_at, s.created_at, s.updated_at,
	sec.id, sec.slug, sec.name, sec.description, sec.position
FROM (
	SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.section_id ORDER BY s.published_at DESC, s.id DESC) AS rn
	FROM stories s
	WHERE s.status <> 'draft' AND s.published_at <= $1
) s
JOIN sections sec ON sec.id = s.section_id
WHERE s.rn <= $2
ORDER BY sec.position, sec.id, s.published_at DESC, s.id DESC`

// sqlHomeIndexed takes each section's newest stories from the
// (section_id, published_at DESC, id DESC) index: a few rows per section
// instead of the whole table.
const sqlHomeIndexed = `SELECT s.id, s.slug, s.headline, s.dek, s.body, s.body_format, s.body_html,
	s.status, s.access, s.comments, s.comment_count, s.published_at, s.created_at, s.updated_at,
	sec.id, sec.slug, sec.name, sec.description, sec.position
FROM sections sec JOIN stories s ON s.id IN (
	SELECT s2.id FROM stories s2
	WHERE s2.section_id = sec.id AND s2.status <> 'draft' AND s2.published_at <= $1
	ORDER BY s2.published_at DESC, s2.id DESC LIMIT $2)
ORDER BY sec.position, sec.id, s.published_at DESC, s.id DESC`

func BenchmarkSQLHomeWindow(b *testing.B) {
	benchQuery(b, sqlHomeNow, func() []any { return []any{time.Now().UnixNano(), 4} })
}

func BenchmarkSQLHomeIndexed(b *testing.B) {
	benchQuery(b, sqlHomeIndexed, func() []any { return []any{time.Now().UnixNano(), 4} })
}

const sqlSectionList = `SELECT s.id, s.slug, s.headline, s.dek, s.body, s.body_format, s.body_html,
	s.status, s.access, s.comments, s.comment_count, s.published_at, s.created_at, s.updated_at,
	sec.id, sec.slug, sec.name, sec.description, sec.position
FROM stories s JOIN sections sec ON sec.id = s.section_id
WHERE s.status <> 'draft' AND s.published_at <= $1 AND sec.slug = $2
ORDER BY s.published_at DESC, s.id DESC LIMIT 21`

// sqlSectionListNoBody is the same list without the two body columns, which
// a list page does not show.
const sqlSectionListNoBody = `SELECT s.id, s.slug, s.headline, s.dek, s.body_format,
	s.status, s.access, s.comments, s.comment_count, s.published_at, s.created_at, s.updated_at,
	sec.id, sec.slug, sec.name, sec.description, sec.position
FROM stories s JOIN sections sec ON sec.id = s.section_id
WHERE s.status <> 'draft' AND s.published_at <= $1 AND sec.slug = $2
ORDER BY s.published_at DESC, s.id DESC LIMIT 21`

func BenchmarkSQLSectionWithBodies(b *testing.B) {
	benchQuery(b, sqlSectionList, func() []any { return []any{time.Now().UnixNano(), fixture.pages.Section} })
}

func BenchmarkSQLSectionWithoutBodies(b *testing.B) {
	benchQuery(b, sqlSectionListNoBody, func() []any { return []any{time.Now().UnixNano(), fixture.pages.Section} })
}

// benchQuery runs q and reads every row; argsFn runs after setup, so it may
// use the fixture.
func benchQuery(b *testing.B, q string, argsFn func() []any) {
	db := rawReadDB(b)
	ctx := context.Background()
	args := argsFn()
	b.ReportAllocs()
	for b.Loop() {
		if err := drain(db.QueryContext(ctx, q, args...)); err != nil {
			b.Fatal(err)
		}
	}
}
