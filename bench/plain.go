package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// The plain baseline: a net/http server that answers each benchmarked path
// with the exact bytes and headers masthead sent for it, from memory. It
// runs as a separate process (the bench binary re-executed with
// -serve-plain) so that it shares the machine with the load generator
// exactly as masthead does.

// plainManifest lists what the plain server serves; it is written as
// manifest.json in the directory given to -serve-plain.
type plainManifest struct {
	Pages []plainPage `json:"pages"`
}

type plainPage struct {
	Path   string              `json:"path"`
	File   string              `json:"file"` // body, relative to the directory
	Header map[string][]string `json:"header"`
}

// skipHeaders are not copied from masthead's response: net/http sets them
// itself, or they describe the connection rather than the page.
var skipHeaders = map[string]bool{
	"Date": true, "Content-Length": true, "Connection": true,
	"Transfer-Encoding": true, "Keep-Alive": true,
}

func writePlainPage(dir string, m *plainManifest, path string, header http.Header, body []byte) error {
	name := fmt.Sprintf("page-%03d.bin", len(m.Pages))
	if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
		return err
	}
	h := map[string][]string{}
	for k, v := range header {
		if !skipHeaders[k] {
			h[k] = v
		}
	}
	m.Pages = append(m.Pages, plainPage{Path: path, File: name, Header: h})
	return nil
}

func writeManifest(dir string, m *plainManifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644)
}

type plainEntry struct {
	header http.Header
	body   []byte
}

// servePlain is the -serve-plain mode: load the manifest, listen on addr and
// print the URL on stdout, then serve until killed.
func servePlain(dir, addr string) error {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return err
	}
	var m plainManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	pages := make(map[string]*plainEntry, len(m.Pages))
	for _, p := range m.Pages {
		body, err := os.ReadFile(filepath.Join(dir, p.File))
		if err != nil {
			return err
		}
		h := http.Header(p.Header).Clone()
		h.Set("Content-Length", strconv.Itoa(len(body)))
		pages[p.Path] = &plainEntry{header: h, body: body}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("plain server listening url=http://%s\n", ln.Addr())
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, ok := pages[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			h := w.Header()
			for k, v := range p.header {
				h[k] = v
			}
			w.WriteHeader(http.StatusOK)
			w.Write(p.body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	return srv.Serve(ln)
}
