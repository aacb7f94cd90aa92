package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkStoryPage measures the story page through the whole handler
// chain, in memory.
func BenchmarkStoryPage(b *testing.B) {
	h := newTestServer(b, fakeStories(testStories()), Config{}).Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, "/stories/tokyo-rail-expansion", nil)
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkStoryPageHTTP compares the story page with a plain handler that
// writes the same bytes, both over loopback HTTP with keep-alive, and reports
// their ratio; the goal is at least half the plain handler's throughput.
func BenchmarkStoryPageHTTP(b *testing.B) {
	h := newTestServer(b, fakeStories(testStories()), Config{}).Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/stories/tokyo-rail-expansion", nil))
	page := rec.Body.Bytes()
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"plain", plain}, {"masthead", h}} {
		b.Run(bc.name, func(b *testing.B) {
			srv := httptest.NewServer(bc.h)
			defer srv.Close()
			tr := &http.Transport{MaxIdleConnsPerHost: 64}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			url := srv.URL + "/stories/tokyo-rail-expansion"
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					res, err := client.Get(url)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			})
		})
	}
}
