// Package stripetest runs stripe-mock, Stripe's API mock, for tests, and
// builds signed Stripe webhook events.
//
// Start builds stripe-mock from the tools module (tools/go.mod, the
// version pinned there) once per test binary and starts it on loopback
// ports that the kernel chooses, so that test binaries running at once
// never compete for a port. The binary is kept in the user's cache
// directory under a name derived from tools/go.mod and tools/go.sum, so
// later test binaries start it without building. Stop, called from
// TestMain after m.Run, stops the server; it also dies with the test
// binary.
//
// stripe-mock answers every API call from fixtures after validating the
// request's parameters against Stripe's OpenAPI spec, so a request it
// accepts is well-formed; it keeps no state between calls.
//
// When stripe-mock cannot be built (no go command, no tools module,
// modules that cannot be downloaded), Start skips the test with a loud
// reason, or fails it when MASTHEAD_REQUIRE_ALL=1.
//
// Import it only from tests.
package stripetest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/tooltest"
)

// EnvRequireAll names the variable that, set to 1, turns a skip for want of
// stripe-mock into a failure.
const EnvRequireAll = tooltest.EnvRequireAll

// SecretKey is a test secret key that stripe-mock accepts (it accepts any
// key of the right shape).
const SecretKey = "sk_test_masthead"

// stripeMockPackage is the tool's package in tools/go.mod.
const stripeMockPackage = "github.com/stripe/stripe-mock"

// Server is a running stripe-mock.
type Server struct {
	// URL is the base URL of its HTTP API, such as
	// "http://127.0.0.1:40123"; give it to the Stripe client as the API
	// backend's URL.
	URL string
}

// state is the one stripe-mock of this test binary. Tests share it through
// package state because it is started once per binary.
var state struct {
	once sync.Once
	mu   sync.Mutex
	srv  *Server
	cmd  *exec.Cmd
	exit chan struct{} // closed when the process has exited
	skip string        // why there is no server, if stripe-mock cannot be built
	err  error         // why the server failed to start
}

// Start returns the test binary's stripe-mock, starting it on first use.
// Without one it skips the test, or fails it when MASTHEAD_REQUIRE_ALL=1.
func Start(t testing.TB) *Server {
	t.Helper()
	state.once.Do(setup)
	tooltest.Require(t, "stripetest", "stripe-mock", state.skip, state.err)
	return state.srv
}

// Stop stops the stripe-mock started by Start, if any. Call it from
// TestMain after m.Run.
func Stop() {
	state.mu.Lock()
	defer state.mu.Unlock()
	tooltest.StopProcess(state.cmd, state.exit)
	state.cmd = nil
}

// setup builds and starts stripe-mock, recording in state why it could
// not.
func setup() {
	state.mu.Lock()
	defer state.mu.Unlock()
	bin, skip := tooltest.Build("stripe-mock", stripeMockPackage)
	if skip != "" {
		state.skip = skip
		return
	}
	state.err = start(bin)
}

// listening is how stripe-mock announces its HTTP address on stdout.
const listening = "Listening for HTTP at address: "

// start starts stripe-mock and waits until it answers.
//
// stripe-mock listens for HTTPS on port 12112 of every interface unless it
// is given an HTTPS address too, and -http-port binds every interface; so
// both listeners get "127.0.0.1:0", and the HTTP port the kernel chose is
// read from stripe-mock's announcement.
func start(bin string) error {
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	// stripe-mock falls back to $PORT for a listener given no address;
	// keep it from the environment so the flags alone decide.
	cmd.Env = withoutEnv(os.Environ(), "PORT")
	// An os.Pipe rather than cmd.StdoutPipe: Wait must not close the
	// reading end while the announcement is still being read.
	stdout, w, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd.Stdout = w
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	setDeathSignal(cmd)
	err = cmd.Start()
	w.Close()
	if err != nil {
		stdout.Close()
		return fmt.Errorf("start stripe-mock: %w", err)
	}
	exit := make(chan struct{})
	addr := make(chan string, 1)
	var output lockedBuffer
	go func() {
		// Read the announcement, then keep draining stdout so that
		// stripe-mock never blocks on a full pipe.
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			output.Write([]byte(line + "\n"))
			if a, ok := strings.CutPrefix(line, listening); ok {
				select {
				case addr <- strings.TrimSpace(a):
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		stdout.Close()
	}()
	go func() {
		_ = cmd.Wait()
		close(exit)
	}()
	fail := func(format string, args ...any) error {
		_ = cmd.Process.Kill()
		<-exit
		return fmt.Errorf(format+"\nstdout: %s\nstderr: %s",
			append(args, bytes.TrimSpace(output.Bytes()), bytes.TrimSpace(stderr.Bytes()))...)
	}

	const wait = 30 * time.Second
	deadline := time.Now().Add(wait)
	var url string
	select {
	case a := <-addr:
		url = "http://" + a
	case <-exit:
		return fail("stripe-mock exited at start-up")
	case <-time.After(wait):
		return fail("stripe-mock did not announce its address within %v", wait)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-exit:
			return fail("stripe-mock exited at start-up")
		default:
		}
		if ready(client, url) {
			state.srv, state.cmd, state.exit = &Server{URL: url}, cmd, exit
			return nil
		}
		if time.Now().After(deadline) {
			return fail("stripe-mock at %s did not answer within %v", url, wait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ready reports whether stripe-mock answers an authenticated API call.
func ready(client *http.Client, url string) bool {
	req, err := http.NewRequest(http.MethodGet, url+"/v1/customers", nil)
	if err != nil {
		return false
	}
	req.Header.Set("Authorization", "Bearer "+SecretKey)
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// withoutEnv returns env without the variable name.
func withoutEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// lockedBuffer is a bytes.Buffer safe for one writer and one reader at
// once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}
