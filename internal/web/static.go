package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
)

//go:embed static
var staticFS embed.FS

// staticFile is one embedded asset, held in memory with its headers ready.
type staticFile struct {
	hash        string
	body        []byte
	contentType []string
	length      []string
	etag        []string
}

// staticFiles holds every embedded asset by name. Each is served at
// /static/{hash}/{name}, where hash is a prefix of the SHA-256 of its
// content, so that it can be cached for a year and a new build gets new URLs.
type staticFiles struct {
	byName map[string]*staticFile
}

var immutableValue = []string{"public, max-age=31536000, immutable"}

// loadStatic reads and fingerprints the embedded assets.
func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{byName: make(map[string]*staticFile)}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:6])
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		sf.byName[path.Base(p)] = &staticFile{
			hash:        hash,
			body:        body,
			contentType: []string{ct},
			length:      []string{strconv.Itoa(len(body))},
			etag:        []string{`"` + hash + `"`},
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load static files: %w", err)
	}
	return sf, nil
}

// url returns the fingerprinted URL of the named asset, or an error (which
// fails the template) for an unknown name.
func (sf *staticFiles) url(name string) (string, error) {
	f, ok := sf.byName[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return "/static/" + f.hash + "/" + name, nil
}

// handleStatic serves an embedded asset with long-lived cache headers. A
// stale hash is a 404, so a cached page never gets a mismatched asset.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.static.byName[r.PathValue("name")]
	if !ok || f.hash != r.PathValue("hash") {
		s.handleNotFound(w, r)
		return
	}
	h := w.Header()
	h["Cache-Control"] = immutableValue
	h["Etag"] = f.etag
	if match := r.Header.Get("If-None-Match"); match == f.etag[0] {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = f.contentType
	h["Content-Length"] = f.length
	w.WriteHeader(http.StatusOK)
	w.Write(f.body)
}
