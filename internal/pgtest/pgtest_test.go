package pgtest_test

import (
	"database/sql"
	"os"
	"testing"

	"masthead/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

func TestURL(t *testing.T) {
	urls := map[string]bool{}
	for _, name := range []string{"first", "second"} {
		t.Run(name, func(t *testing.T) {
			url := pgtest.URL(t)
			if urls[url] {
				t.Fatalf("URL %q handed out twice", url)
			}
			urls[url] = true
			db, err := sql.Open("pgx", url)
			if err != nil {
				t.Fatalf("sql.Open: %v", err)
			}
			defer db.Close()
			var tables int
			if err := db.QueryRow(`SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
				t.Fatalf("query: %v", err)
			}
			if tables != 0 {
				t.Errorf("fresh database has %d tables, want 0", tables)
			}
			if _, err := db.Exec(`CREATE TABLE t (id int)`); err != nil {
				t.Errorf("CREATE TABLE: %v", err)
			}
		})
	}
}
