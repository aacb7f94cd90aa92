// Package pgtest gives tests a fresh, empty PostgreSQL database each.
//
// The server is MASTHEAD_TEST_POSTGRES_URL when that is set (its user must
// be allowed to create databases). Otherwise the first call to URL starts a
// throwaway cluster from the installed server binaries (initdb and postgres,
// found on PATH or under /usr/lib/postgresql/*/bin) in a temporary
// directory, listening on a private unix socket directory and a free port
// on 127.0.0.1; Stop, called from TestMain after m.Run, stops it. When the
// tests run as root, the cluster runs as the "postgres" system user (or
// "nobody"), since PostgreSQL refuses to run as root.
//
// Import it only from tests.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	// The "pgx" database/sql driver.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// EnvURL names the variable holding an existing server's URL.
const EnvURL = "MASTHEAD_TEST_POSTGRES_URL"

// EnvRequireAll, set to 1, turns a skip for want of a server into a failure.
const EnvRequireAll = "MASTHEAD_REQUIRE_ALL"

// server is the one server of this test binary. Tests share it through
// package state because a cluster is started once per binary.
var server struct {
	once    sync.Once
	mu      sync.Mutex
	admin   *sql.DB  // connected to the maintenance database
	base    *url.URL // URL of the maintenance database
	cluster *cluster // nil when using EnvURL
	skip    string   // why there is no server, if there is none
	err     error    // why the server failed to start
}

// URL returns a connection URL for a fresh, empty PostgreSQL database made
// for this test, and drops the database when the test ends. Without a
// server it skips the test, or fails it when MASTHEAD_REQUIRE_ALL=1.
func URL(t testing.TB) string {
	t.Helper()
	server.once.Do(setup)
	if server.skip != "" {
		if os.Getenv(EnvRequireAll) == "1" {
			t.Fatalf("pgtest: %s (and %s=1 forbids skipping)", server.skip, EnvRequireAll)
		}
		t.Skipf("pgtest: SKIPPING, NO POSTGRESQL: %s", server.skip)
	}
	if server.err != nil {
		t.Fatalf("pgtest: %v", server.err)
	}

	name := dbName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := server.admin.ExecContext(ctx, `CREATE DATABASE `+quoteIdent(name)); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := server.admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+quoteIdent(name)+` WITH (FORCE)`); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u := *server.base
	u.Path = "/" + name
	return u.String()
}

// Stop stops the throwaway cluster, if one was started, and removes its
// files. Call it from TestMain after m.Run.
func Stop() {
	server.mu.Lock()
	defer server.mu.Unlock()
	if server.admin != nil {
		server.admin.Close()
		server.admin = nil
	}
	if server.cluster != nil {
		server.cluster.stop()
		os.RemoveAll(server.cluster.dir)
		server.cluster = nil
	}
}

// setup finds or starts the server and connects to it.
func setup() {
	server.mu.Lock()
	defer server.mu.Unlock()
	raw := os.Getenv(EnvURL)
	if raw == "" {
		bin, err := findBinDir()
		if err != nil {
			server.skip = err.Error()
			return
		}
		c, err := startCluster(bin)
		if err != nil {
			server.err = err
			return
		}
		server.cluster = c
		raw = c.url
	}
	u, err := url.Parse(raw)
	if err != nil {
		server.err = fmt.Errorf("%s: %w", EnvURL, err)
		return
	}
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		server.err = err
		return
	}
	admin.SetMaxOpenConns(2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		server.err = fmt.Errorf("connect to %s: %w", u.Redacted(), err)
		return
	}
	server.admin, server.base = admin, u
}

// findBinDir returns the directory holding initdb and postgres.
func findBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// Newest major version first.
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, dir := range dirs {
		_, err1 := os.Stat(filepath.Join(dir, "initdb"))
		_, err2 := os.Stat(filepath.Join(dir, "postgres"))
		if err1 == nil && err2 == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%s is not set and no initdb/postgres was found on PATH or under /usr/lib/postgresql/*/bin (install the postgresql package, or point %s at a server)", EnvURL, EnvURL)
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

// cluster is a throwaway PostgreSQL cluster.
type cluster struct {
	dir  string // temporary directory holding data/, sock/ and log
	cmd  *exec.Cmd
	done chan struct{} // closed when the postmaster exits
	url  string
}

// startCluster initialises a cluster and starts its postmaster, trying a
// few ports in case another process takes the one picked.
func startCluster(bin string) (*cluster, error) {
	cred, err := credential()
	if err != nil {
		return nil, err
	}
	// Under /tmp, not $TMPDIR, so that an unprivileged server can reach it.
	parent := os.TempDir()
	if cred != nil {
		parent = "/tmp"
	}
	dir, err := os.MkdirTemp(parent, "masthead-pgtest-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir}
	if err := c.init(bin, cred); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	var lastErr error
	for range 5 {
		if lastErr = c.start(bin, cred); lastErr == nil {
			return c, nil
		}
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

// credential returns who the server runs as: nil (this process's user)
// unless this process is root.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	if u, err := user.Lookup("postgres"); err == nil {
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 == nil && err2 == nil {
			return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
		}
	}
	return &syscall.Credential{Uid: 65534, Gid: 65534}, nil // nobody
}

// command returns a command run as cred (if not nil), in c.dir.
func (c *cluster) command(cred *syscall.Credential, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C", "PGTZ=UTC")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	return cmd
}

// init makes the directories and runs initdb.
func (c *cluster) init(bin string, cred *syscall.Credential) error {
	if err := os.Chmod(c.dir, 0o755); err != nil {
		return err
	}
	for _, sub := range []string{"data", "sock"} {
		p := filepath.Join(c.dir, sub)
		if err := os.Mkdir(p, 0o700); err != nil {
			return err
		}
		if cred != nil {
			if err := os.Chown(p, int(cred.Uid), int(cred.Gid)); err != nil {
				return err
			}
		}
	}
	cmd := c.command(cred, filepath.Join(bin, "initdb"),
		"-D", filepath.Join(c.dir, "data"), "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return nil
}

// start starts the postmaster on a free port and waits until it accepts
// connections.
func (c *cluster) start(bin string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(c.dir, "postgres.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := c.command(cred, filepath.Join(bin, "postgres"),
		"-D", filepath.Join(c.dir, "data"),
		"-p", strconv.Itoa(port),
		"-k", filepath.Join(c.dir, "sock"),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=off",
		"-c", "full_page_writes=off",
		"-c", "synchronous_commit=off",
		"-c", "max_connections=200",
		"-c", "log_min_messages=warning",
	)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Stop the server if this test binary dies without calling Stop.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGTERM
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	c.cmd, c.done = cmd, done
	c.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)

	db, err := sql.Open("pgx", c.url)
	if err != nil {
		c.stop()
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-done:
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("postgres exited during start-up on port %d: %s", port, log)
		default:
		}
		if time.Now().After(deadline) {
			c.kill()
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("postgres did not accept connections within 30s: %w\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop shuts the server down in fast mode.
func (c *cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.done:
		case <-time.After(15 * time.Second):
			c.kill()
		}
	}
}

// kill stops the server at once.
func (c *cluster) kill() {
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Kill()
		<-c.done
	}
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

var unsafeChars = regexp.MustCompile(`[^a-z0-9]+`)

// dbName returns a unique database name that hints at the test.
func dbName(test string) string {
	s := strings.Trim(unsafeChars.ReplaceAllString(strings.ToLower(test), "_"), "_")
	if len(s) > 40 {
		s = s[len(s)-40:]
	}
	b := make([]byte, 6)
	rand.Read(b)
	return "t_" + s + "_" + hex.EncodeToString(b)
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
