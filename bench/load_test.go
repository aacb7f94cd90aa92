package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestRunLoadCountsSuccessesAndErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "hello")
	}))
	defer srv.Close()
	client := &http.Client{Transport: newTransport(4)}

	tests := []struct {
		name       string
		paths      []string
		wantErrors bool
	}{
		{"ok", []string{"/a", "/b"}, false},
		{"not found", []string{"/missing"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var urls []string
			for _, p := range tt.paths {
				urls = append(urls, srv.URL+p)
			}
			start := time.Now()
			res, err := runLoad(context.Background(), client, urls, 4, 50*time.Millisecond, 200*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("run took %v, want about 250ms", took)
			}
			if res.Requests == 0 {
				t.Fatal("no requests completed")
			}
			if got := res.Errors > 0; got != tt.wantErrors {
				t.Errorf("errors = %d (%s), want errors: %v", res.Errors, res.FirstErr, tt.wantErrors)
			}
			if !tt.wantErrors && res.Hist.n != res.Requests {
				t.Errorf("histogram has %d samples, want %d", res.Hist.n, res.Requests)
			}
		})
	}
}

func TestServePlainServesSavedPages(t *testing.T) {
	dir := t.TempDir()
	var m plainManifest
	h := http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Date": {"x"}, "X-Frame-Options": {"DENY"}}
	if err := writePlainPage(dir, &m, "/stories/a", h, []byte("<p>story a</p>")); err != nil {
		t.Fatal(err)
	}
	if err := writeManifest(dir, &m); err != nil {
		t.Fatal(err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	go servePlain(dir, addr)
	var resp *http.Response
	for range 100 {
		if resp, err = http.Get("http://" + addr + "/stories/a"); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got, want := string(body), "<p>story a</p>"; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
	if got, want := resp.Header.Get("Content-Type"), "text/html; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got, want := resp.Header.Get("X-Frame-Options"), "DENY"; got != want {
		t.Errorf("X-Frame-Options = %q, want %q", got, want)
	}
	if got, want := resp.ContentLength, int64(len("<p>story a</p>")); got != want {
		t.Errorf("Content-Length = %d, want %d", got, want)
	}
}
