// Package e2e holds Masthead's end-to-end tests. They build the masthead
// binary once, run it as a separate process (SQLite or PostgreSQL), and talk
// to it only over HTTP: with net/http for feeds, the API and the operational
// endpoints, and with a headless Chromium (driven by chromedp) for pages,
// which are also checked with axe-core for accessibility.
//
// The tests import nothing of the application except the PostgreSQL test
// helper. A test that needs something the machine lacks (Chromium, axe-core,
// PostgreSQL) skips with a loud reason; with MASTHEAD_REQUIRE_ALL=1 (as CI
// sets it) such a skip fails instead.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"masthead/internal/mailtest"
	"masthead/internal/pgtest"
	"masthead/internal/stripetest"
)

// binPath is the masthead binary that TestMain builds once for every test.
var binPath string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	flag.Parse()
	dir, err := os.MkdirTemp("", "masthead-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	binPath = filepath.Join(dir, "masthead")
	start := time.Now()
	build := exec.Command(goTool(), "build", "-o", binPath, "../cmd/masthead")
	build.Stdout = os.Stderr
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: go build ../cmd/masthead failed:", err)
		return 1
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "e2e: built %s in %s\n", binPath, time.Since(start).Round(time.Millisecond))
	}

	code := m.Run()
	pgtest.Stop()
	mailtest.Stop()
	stripetest.Stop()
	return code
}

// goTool returns the go command to build with: the one in GOROOT/bin when
// go test set GOROOT, else the one on PATH.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// requireAll reports whether a missing dependency must fail a test rather
// than skip it.
func requireAll() bool { return os.Getenv("MASTHEAD_REQUIRE_ALL") == "1" }

// skipOrFail skips the test with a loud reason, or fails it under
// MASTHEAD_REQUIRE_ALL=1.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if requireAll() {
		t.Fatalf("MASTHEAD_REQUIRE_ALL=1 and a test dependency is missing: %s", msg)
	}
	t.Skipf("SKIPPED (set up the dependency, or CI would fail with MASTHEAD_REQUIRE_ALL=1): %s", msg)
}

// instance is one running masthead process.
type instance struct {
	// URL is the base URL the server listens on, without a trailing slash,
	// such as http://127.0.0.1:41234.
	URL string

	name    string
	cmd     *exec.Cmd
	log     *syncBuffer
	urlCh   chan string   // receives the URL from the "listening" log line
	done    chan struct{} // closed when the process has exited
	waitErr error         // the result of cmd.Wait, once done is closed
	stopped bool
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// listenURL finds the URL in the "listening" line that masthead logs, in
// slog's text form (url=http://… or url="http://…") or JSON form
// ("url":"http://…"), and not from a key that ends in url, such as
// base_url.
var listenURL = regexp.MustCompile(`(?:^|[\s{,])"?url"?\s*[=:]\s*"?(https?://[^\s"]+)`)

// startMasthead runs `masthead serve` with args, waits until /readyz answers
// 200, and stops the process with SIGTERM when the test ends (failing the
// test unless it exits 0 within stopWait). Unless args name them, it adds
// --addr 127.0.0.1:0 and a fresh SQLite database in a temp directory.
func startMasthead(t testing.TB, args ...string) *instance {
	t.Helper()
	inst := launchMasthead(t, "masthead", args...)
	inst.waitReady(t)
	return inst
}

// launchMasthead starts the process without waiting for it to be ready, so
// that a test can start several instances at the same moment. Call waitReady
// on each.
func launchMasthead(t testing.TB, name string, args ...string) *instance {
	t.Helper()
	if binPath == "" {
		t.Fatal("masthead binary not built (TestMain did not run)")
	}
	args = append([]string(nil), args...)
	if !hasFlag(args, "--addr") {
		args = append(args, "--addr", "127.0.0.1:0")
	}
	if !hasFlag(args, "--database") {
		db := filepath.Join(t.TempDir(), "masthead.db")
		args = append(args, "--database", "sqlite:"+db)
	}
	args = append([]string{"serve"}, args...)

	cmd := exec.Command(binPath, args...)
	cmd.Env = cleanEnv()
	cmd.Dir = t.TempDir()
	setProcAttr(cmd)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	inst := &instance{
		name:  name,
		cmd:   cmd,
		log:   &syncBuffer{},
		urlCh: make(chan string, 1),
		done:  make(chan struct{}),
	}
	cmd.Stdout = inst.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Logf("%s: started pid %d: masthead %s", name, cmd.Process.Pid, strings.Join(args, " "))

	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		found := false
		for sc.Scan() {
			line := sc.Text()
			inst.log.Write([]byte(line + "\n"))
			if !found && strings.Contains(line, "listening") {
				if m := listenURL.FindStringSubmatch(line); m != nil {
					found = true
					inst.urlCh <- strings.TrimRight(m[1], "/")
				}
			}
		}
		io.Copy(inst.log, stderr) // after a too-long line, keep the rest
	}()
	go func() {
		<-copied // read all of stderr before Wait closes the pipe
		inst.waitErr = cmd.Wait()
		close(inst.done)
	}()

	// Registered first, so it runs after the test's own cleanups (which may
	// still use the server), and before the temp directories are removed.
	t.Cleanup(func() {
		inst.stop(t)
		if t.Failed() {
			t.Logf("%s: output:\n%s", name, indent(inst.log.String()))
		}
	})
	return inst
}

// hasFlag reports whether args set the flag, as "--flag value" or
// "--flag=value" (or with one dash).
func hasFlag(args []string, flag string) bool {
	short := strings.TrimPrefix(flag, "-")
	for _, a := range args {
		for _, f := range []string{flag, short} {
			if a == f || strings.HasPrefix(a, f+"=") {
				return true
			}
		}
	}
	return false
}

// cleanEnv is the environment of the test without MASTHEAD_ variables, so
// that the developer's own configuration cannot change what a test runs.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MASTHEAD_") {
			env = append(env, kv)
		}
	}
	return env
}

// waitReady waits for the URL in the log and then for /readyz to answer 200.
func (inst *instance) waitReady(t testing.TB) {
	t.Helper()
	const limit = 90 * time.Second // migrations and the demo on a slow CI machine
	deadline := time.After(limit)
	select {
	case u := <-inst.urlCh:
		inst.URL = u
	case <-inst.done:
		t.Fatalf("%s exited before it listened (%v); output:\n%s", inst.name, inst.waitErr, indent(inst.log.String()))
	case <-deadline:
		t.Fatalf("%s logged no line with \"listening\" and url=… within %s; output:\n%s", inst.name, limit, indent(inst.log.String()))
	}

	client := &http.Client{Timeout: 5 * time.Second}
	var last string
	for {
		resp, err := client.Get(inst.URL + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Logf("%s: ready at %s", inst.name, inst.URL)
				return
			}
			last = fmt.Sprintf("status %d: %s", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		select {
		case <-inst.done:
			t.Fatalf("%s exited while waiting for /readyz (%v); last answer: %s", inst.name, inst.waitErr, last)
		case <-deadline:
			t.Fatalf("%s: /readyz not 200 within %s; last answer: %s", inst.name, limit, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stopWait is how long a stopped server may take to exit: its default
// --shutdown-timeout (20s) for requests in flight, and a margin.
const stopWait = 25 * time.Second

// stop sends SIGTERM and fails the test unless the process exits 0 within
// stopWait (a graceful shutdown). It is safe to call more than once.
func (inst *instance) stop(t testing.TB) {
	t.Helper()
	if inst.stopped {
		return
	}
	inst.stopped = true
	select {
	case <-inst.done:
		t.Errorf("%s exited by itself before the test stopped it: %v", inst.name, inst.waitErr)
		return
	default:
	}
	if err := inst.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("%s: SIGTERM: %v", inst.name, err)
	}
	select {
	case <-inst.done:
		if inst.waitErr != nil {
			t.Errorf("%s: after SIGTERM, exit: %v (want exit status 0, a graceful shutdown)", inst.name, inst.waitErr)
		}
	case <-time.After(stopWait):
		inst.cmd.Process.Kill()
		<-inst.done
		t.Errorf("%s: still running %s after SIGTERM; killed it (graceful shutdown hangs)", inst.name, stopWait)
	}
}

// get fetches path from the instance and returns the response with its body
// read, failing the test on a transport error.
func (inst *instance) get(t testing.TB, path string) (*http.Response, []byte) {
	t.Helper()
	u := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		u = inst.URL + path
	}
	return httpGet(t, u)
}

func httpGet(t testing.TB, u string) (*http.Response, []byte) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", u, err)
	}
	return resp, body
}

// freeAddr returns a loopback address with a port that was free a moment
// ago, for a test that must know its base URL before the server starts.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func indent(s string) string {
	if s == "" {
		return "    (no output)"
	}
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// testContext returns a context that ends a little before the test's
// deadline (go test -timeout), or after max.
func testContext(t testing.TB, max time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), max)
	if tt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := tt.Deadline(); ok {
			cancel()
			ctx, cancel = context.WithDeadline(context.Background(), earliest(d.Add(-10*time.Second), time.Now().Add(max)))
		}
	}
	t.Cleanup(cancel)
	return ctx
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
