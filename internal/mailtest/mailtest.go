// Package mailtest gives tests a real SMTP server, mailpit, and reads back
// what it received.
//
// The first call to Start in a test binary builds mailpit from the
// separate tools module (tools/go.mod at the root of the masthead module,
// found by walking up from the working directory) and starts it on two
// free ports of 127.0.0.1: one for SMTP, one for its HTTP API. The binary
// is kept in the user's cache directory under a name derived from
// tools/go.mod and tools/go.sum, so later test binaries start it without
// building. Stop, called from TestMain after m.Run, stops the server; it
// also dies with the test binary.
//
// The server is shared by every test of the binary, so each test should
// send to addresses of its own (see Address) and look only at those.
//
// When mailpit cannot be built (no go command, no tools module, modules
// that cannot be downloaded), Start skips the test with a loud reason, or
// fails it when MASTHEAD_REQUIRE_ALL=1.
//
// Import it only from tests.
package mailtest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/tooltest"
)

// EnvRequireAll names the variable that, set to 1, turns a skip for want of
// mailpit into a failure.
const EnvRequireAll = tooltest.EnvRequireAll

// mailpitPackage is the tool's package in tools/go.mod.
const mailpitPackage = "github.com/axllent/mailpit"

// Server is a running mailpit.
type Server struct {
	// SMTPURL is the server's SMTP address as a masthead SMTP URL:
	// plain SMTP to a loopback address, no authentication.
	SMTPURL string
	// APIURL is the base URL of its HTTP API and web interface.
	APIURL string

	client *http.Client
}

// Summary is a received message as listed by mailpit.
type Summary struct {
	ID        string
	MessageID string
	From      string
	To        []string
	Subject   string
	Created   time.Time
	Snippet   string
}

// Full is a received message with its parts and headers.
type Full struct {
	ID        string
	MessageID string
	From      string
	To        []string
	Subject   string
	// Text and HTML are the decoded plain-text and HTML parts.
	Text string
	HTML string
	// Headers are the header fields by canonical name (as
	// textproto.CanonicalMIMEHeaderKey makes them: "Message-Id").
	Headers map[string][]string
}

// Header returns the first value of the header field name, or "".
func (f *Full) Header(name string) string {
	if v := f.Headers[textproto.CanonicalMIMEHeaderKey(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// state is the one mailpit of this test binary. Tests share it through
// package state because it is started once per binary.
var state struct {
	once sync.Once
	mu   sync.Mutex
	srv  *Server
	cmd  *exec.Cmd
	exit chan struct{} // closed when the process has exited
	dir  string
	skip string // why there is no server, if mailpit cannot be built
	err  error  // why the server failed to start
}

// Start returns the test binary's mailpit, starting it on first use.
// Without one it skips the test, or fails it when MASTHEAD_REQUIRE_ALL=1.
func Start(t testing.TB) *Server {
	t.Helper()
	state.once.Do(setup)
	tooltest.Require(t, "mailtest", "mailpit", state.skip, state.err)
	return state.srv
}

// Stop stops the mailpit started by Start, if any, and removes its files.
// Call it from TestMain after m.Run.
func Stop() {
	state.mu.Lock()
	defer state.mu.Unlock()
	tooltest.StopProcess(state.cmd, state.exit)
	state.cmd = nil
	if state.dir != "" {
		_ = os.RemoveAll(state.dir)
		state.dir = ""
	}
}

// Address returns an email address that no other test uses, made from the
// test's name.
func Address(t testing.TB) string {
	var b strings.Builder
	for _, c := range strings.ToLower(t.Name()) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.Trim(b.String(), "-") + "-" + strings.ToLower(rand.Text()[:10]) + "@example.com"
}

// setup builds and starts mailpit, recording in state why it could not.
func setup() {
	state.mu.Lock()
	defer state.mu.Unlock()
	bin, skip := tooltest.Build("mailpit", mailpitPackage)
	if skip != "" {
		state.skip = skip
		return
	}
	dir, err := os.MkdirTemp("", "masthead-mailtest-")
	if err != nil {
		state.err = err
		return
	}
	state.dir = dir
	// A port that was free a moment ago may be taken by the time mailpit
	// binds it; try again with others.
	for try := 0; try < 3; try++ {
		if err = start(bin, dir, try); err == nil {
			return
		}
	}
	state.err = err
}

// start starts mailpit on free ports and waits until it answers.
func start(bin, dir string, try int) error {
	smtpPort, err := freePort()
	if err != nil {
		return err
	}
	httpPort, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(dir, "mailpit-"+strconv.Itoa(try)+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()

	smtpAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(smtpPort))
	httpAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(httpPort))
	cmd := exec.Command(bin,
		"--smtp", smtpAddr,
		"--listen", httpAddr,
		"--database", filepath.Join(dir, "mailpit-"+strconv.Itoa(try)+".db"),
		"--max", "0",
		"--disable-version-check",
		"--smtp-disable-rdns",
		"--quiet",
	)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start mailpit: %w", err)
	}
	exit := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exit)
	}()

	srv := &Server{
		SMTPURL: "smtp://" + smtpAddr,
		APIURL:  "http://" + httpAddr,
		client:  &http.Client{Timeout: 10 * time.Second},
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-exit:
			out, _ := os.ReadFile(logPath)
			return fmt.Errorf("mailpit exited at start-up: %s", bytes.TrimSpace(out))
		default:
		}
		if srv.ready(smtpAddr) {
			state.srv, state.cmd, state.exit = srv, cmd, exit
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exit
			out, _ := os.ReadFile(logPath)
			return fmt.Errorf("mailpit did not become ready within 30s: %s", bytes.TrimSpace(out))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ready reports whether the API says it is ready and the SMTP port accepts
// connections.
func (s *Server) ready(smtpAddr string) bool {
	resp, err := s.client.Get(s.APIURL + "/readyz")
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	c, err := net.DialTimeout("tcp", smtpAddr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// address is an address as mailpit's API writes it.
type address struct {
	Name    string
	Address string
}

func (a *address) String() string {
	if a == nil {
		return ""
	}
	return a.Address
}

func addresses(as []*address) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, a.String())
	}
	return out
}

// Messages returns the messages received for the address to, newest
// first.
func (s *Server) Messages(t testing.TB, to string) []Summary {
	t.Helper()
	got, err := s.messages(to)
	if err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	return got
}

func (s *Server) messages(to string) ([]Summary, error) {
	var res struct {
		Messages []struct {
			ID        string
			MessageID string
			From      *address
			To        []*address
			Subject   string
			Created   time.Time
			Snippet   string
		} `json:"messages"`
	}
	q := url.Values{"query": {`to:"` + to + `"`}, "limit": {"1000"}}
	if err := s.get("/api/v1/search?"+q.Encode(), &res); err != nil {
		return nil, err
	}
	var out []Summary
	for _, m := range res.Messages {
		tos := addresses(m.To)
		// The search matches substrings; keep exact recipients only.
		match := false
		for _, a := range tos {
			match = match || strings.EqualFold(a, to)
		}
		if !match {
			continue
		}
		out = append(out, Summary{
			ID: m.ID, MessageID: m.MessageID, From: m.From.String(), To: tos,
			Subject: m.Subject, Created: m.Created, Snippet: m.Snippet,
		})
	}
	return out, nil
}

// WaitMessage waits up to timeout for a message to the address to whose
// subject contains subjectContains, and returns it in full (the newest, if
// there are several). It fails the test if none arrives.
func (s *Server) WaitMessage(t testing.TB, to, subjectContains string, timeout time.Duration) *Full {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		list, err := s.messages(to)
		if err != nil {
			t.Fatalf("mailtest: %v", err)
		}
		for _, m := range list {
			if strings.Contains(m.Subject, subjectContains) {
				full, err := s.message(m.ID)
				if err != nil {
					t.Fatalf("mailtest: %v", err)
				}
				return full
			}
		}
		if time.Now().After(deadline) {
			subjects := make([]string, 0, len(list))
			for _, m := range list {
				subjects = append(subjects, strconv.Quote(m.Subject))
			}
			t.Fatalf("mailtest: no message to %s with %q in its subject within %v (received: %s)",
				to, subjectContains, timeout, strings.Join(subjects, ", "))
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// Message returns the message with mailpit's ID id (a Summary's ID).
func (s *Server) Message(t testing.TB, id string) *Full {
	t.Helper()
	m, err := s.message(id)
	if err != nil {
		t.Fatalf("mailtest: message %s: %v", id, err)
	}
	return m
}

// message returns one message in full.
func (s *Server) message(id string) (*Full, error) {
	var m struct {
		ID        string
		MessageID string
		From      *address
		To        []*address
		Subject   string
		Text      string
		HTML      string
	}
	if err := s.get("/api/v1/message/"+url.PathEscape(id), &m); err != nil {
		return nil, err
	}
	var headers map[string][]string
	if err := s.get("/api/v1/message/"+url.PathEscape(id)+"/headers", &headers); err != nil {
		return nil, err
	}
	return &Full{
		ID: m.ID, MessageID: m.MessageID, From: m.From.String(), To: addresses(m.To),
		Subject: m.Subject, Text: m.Text, HTML: m.HTML, Headers: headers,
	}, nil
}

// get decodes the JSON answer of the API at path into v.
func (s *Server) get(path string, v any) error {
	resp, err := s.client.Get(s.APIURL + path)
	if err != nil {
		return fmt.Errorf("mailpit API: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("mailpit API %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit API %s: %s: %s", path, resp.Status, bytes.TrimSpace(body))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("mailpit API %s: %w", path, err)
	}
	return nil
}
