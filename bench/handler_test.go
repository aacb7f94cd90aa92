package main

// In-process Go benchmarks of the pages the load test drives, to find where
// a request's time goes without a network or a second process in the way:
//
//	go test ./bench -run '^$' -bench . -benchmem -cpuprofile cpu.out
//	go tool pprof -top bench.test cpu.out
//
// They use the database named by MASTHEAD_BENCH_DB (e.g. one kept with
// `go run ./bench -keep`), or generate 2,000 stories into a temporary one.

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/markdown"
	"masthead/internal/sqldb"
	"masthead/internal/web"
)

var fixture struct {
	once    sync.Once
	err     error
	db      *sqldb.DB
	stories *sqldb.StoryService
	handler http.Handler
	pages   *pickedPages
	dir     string
}

func setup(b *testing.B) {
	b.Helper()
	fixture.once.Do(func() {
		ctx := context.Background()
		path := os.Getenv("MASTHEAD_BENCH_DB")
		if path == "" {
			fixture.dir, fixture.err = os.MkdirTemp("", "masthead-bench-test-")
			if fixture.err != nil {
				return
			}
			path = filepath.Join(fixture.dir, "masthead.db")
			if _, fixture.err = seed(ctx, "sqlite:"+path, 2000, 2, 1, nil); fixture.err != nil {
				return
			}
		}
		fixture.db, fixture.err = sqldb.Open(ctx, "sqlite:"+path, sqldb.Options{
			Now: time.Now, Renderer: markdown.New(), Logger: slog.New(slog.DiscardHandler),
		})
		if fixture.err != nil {
			return
		}
		fixture.stories = sqldb.NewStoryService(fixture.db)
		if fixture.pages, fixture.err = pickPages(ctx, "sqlite:"+path, 1); fixture.err != nil {
			return
		}
		var srv *web.Server
		srv, fixture.err = web.NewServer(web.Config{Stories: fixture.stories, Ready: fixture.db.Ready})
		if fixture.err != nil {
			return
		}
		fixture.handler = srv.Handler()
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.db != nil {
		fixture.db.Close()
	}
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

func benchPages(b *testing.B, paths func() []string) {
	setup(b)
	list := paths()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, list[i%len(list)], nil)
			i++
			rec := httptest.NewRecorder()
			fixture.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("%s: status %d", req.URL.Path, rec.Code)
				return
			}
		}
	})
}

func BenchmarkHomePage(b *testing.B) {
	benchPages(b, func() []string { return []string{"/"} })
}

func BenchmarkSectionPage(b *testing.B) {
	benchPages(b, func() []string { return []string{"/sections/" + fixture.pages.Section} })
}

func BenchmarkStoryPage(b *testing.B) {
	benchPages(b, func() []string { return []string{"/stories/" + fixture.pages.Story} })
}

func BenchmarkStoryPageRandom(b *testing.B) {
	benchPages(b, func() []string {
		var l []string
		for _, s := range fixture.pages.Random {
			l = append(l, "/stories/"+s)
		}
		return l
	})
}

// The storage calls behind the pages, alone.

func BenchmarkFindStoryBySlug(b *testing.B) {
	setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := fixture.stories.FindStoryBySlug(ctx, fixture.pages.Story); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkFindLatestBySection(b *testing.B) {
	setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := fixture.stories.FindLatestBySection(ctx, 4); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkFindStoriesInSection(b *testing.B) {
	setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			f := masthead.StoryFilter{Section: fixture.pages.Section, Limit: 20}
			if _, err := fixture.stories.FindStories(ctx, f); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkFindSections(b *testing.B) {
	setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := fixture.stories.FindSections(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
