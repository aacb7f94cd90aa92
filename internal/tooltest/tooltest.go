// Package tooltest builds the test-only tools of tools/go.mod (mailpit,
// stripe-mock) for the test helpers that run them. It is imported only by
// test helpers.
package tooltest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Build returns the path of a binary of the Go package pkg from
// tools/go.mod, named name, building it if needed, or why it cannot
// (skip). Binaries are kept in the user's cache directory under a hash of
// tools/go.mod and go.sum, so a change of version builds anew and test
// binaries that build at the same time never run a half-written file.
func Build(name, pkg string) (bin, skip string) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err.Error()
	}
	modfile := filepath.Join(root, "tools", "go.mod")
	mod, err := os.ReadFile(modfile)
	if err != nil {
		return "", fmt.Sprintf("no tools module: %v", err)
	}
	sum, _ := os.ReadFile(filepath.Join(root, "tools", "go.sum"))
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Sprintf("the go command is not on PATH, so %s cannot be built", name)
	}

	h := sha256.New()
	h.Write(mod)
	h.Write(sum)
	fmt.Fprint(h, runtime.GOOS, runtime.GOARCH)
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		cacheDir = os.TempDir()
	}
	cacheDir = filepath.Join(cacheDir, "masthead-tools")
	bin = filepath.Join(cacheDir, name+"-"+hex.EncodeToString(h.Sum(nil))[:16])
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if _, err := os.Stat(bin); err == nil {
		return bin, ""
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", fmt.Sprintf("cache directory: %v", err)
	}

	// Build under a temporary name and rename.
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "build", "-modfile="+modfile, "-o", tmp, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Sprintf("cannot build %s (go build -modfile=%s %s): %v\n%s",
			name, modfile, pkg, err, bytes.TrimSpace(out))
	}
	if err := os.Rename(tmp, bin); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Sprintf("cannot store the %s binary: %v", name, err)
	}
	return bin, ""
}

// ModuleRoot returns the nearest directory at or above the working
// directory that holds a go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod in the working directory or above it")
		}
		dir = parent
	}
}

// EnvRequireAll names the variable that, set to 1, turns a skip for want of
// a test tool into a failure (CI sets it).
const EnvRequireAll = "MASTHEAD_REQUIRE_ALL"

// Require ends the test when a tool is not there: it is skipped loudly
// (skip says why the tool could not be had), or failed under
// MASTHEAD_REQUIRE_ALL=1, and failed when the tool was had but did not
// start (err). prefix starts the messages; tool names what is missing.
func Require(t testing.TB, prefix, tool, skip string, err error) {
	t.Helper()
	if skip != "" {
		if os.Getenv(EnvRequireAll) == "1" {
			t.Fatalf("%s: %s (and %s=1 forbids skipping)", prefix, skip, EnvRequireAll)
		}
		t.Skipf("%s: SKIPPING, NO %s: %s", prefix, strings.ToUpper(tool), skip)
	}
	if err != nil {
		t.Fatalf("%s: %v", prefix, err)
	}
}

// StopProcess ends a started tool: SIGTERM, then SIGKILL if it has not
// exited (closed exit) within five seconds.
func StopProcess(cmd *exec.Cmd, exit <-chan struct{}) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exit:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-exit
	}
}
