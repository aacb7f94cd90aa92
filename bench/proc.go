package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is a running subprocess serving HTTP: masthead or the plain
// baseline.
type server struct {
	name string
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:PORT
	done chan struct{}
	// tail keeps the last lines the process wrote, for error messages.
	tail *lineTail
}

// urlRe finds the address in a "listening" line, in text (url=http://...)
// or JSON ("url":"http://...") form.
var urlRe = regexp.MustCompile(`url"?[=:]"?(http://[0-9.:\[\]a-z]+)`)

// freePort asks the kernel for an unused loopback port. Another process
// could take it before the server binds it; on loopback in a benchmark that
// race is acceptable.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startServer starts cmd, reads its output until a line gives its URL (or
// uses fallbackURL when set and readyPath answers), then drains the rest of
// its output to a small ring so that logging never blocks it.
func startServer(ctx context.Context, name string, cmd *exec.Cmd, fallbackURL, readyPath string, timeout time.Duration) (*server, error) {
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	cmd.Stderr = pw
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, done: make(chan struct{}), tail: &lineTail{}}
	go func() {
		cmd.Wait()
		pw.Close()
		close(s.done)
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		found := false
		for sc.Scan() {
			line := sc.Text()
			s.tail.add(line)
			if !found && strings.Contains(line, "listening") {
				if m := urlRe.FindStringSubmatch(line); m != nil {
					found = true
					urls <- m[1]
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()

	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case u := <-urls:
			s.url = u
		case <-s.done:
			return nil, fmt.Errorf("%s exited during start-up (%v); its last output:\n%s", name, cmd.ProcessState, s.tail)
		case <-tick.C:
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s not ready after %v; its last output:\n%s", name, timeout, s.tail)
		}
		u := s.url
		if u == "" {
			u = fallbackURL
		}
		if u == "" {
			continue
		}
		if readyPath == "" && s.url != "" {
			return s, nil
		}
		if readyPath != "" && ready(u+readyPath) {
			s.url = u
			return s, nil
		}
	}
}

func ready(u string) bool {
	c := &http.Client{Timeout: time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func (s *server) stop() {
	if s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// memStat is a process's resident memory from /proc/PID/status.
type memStat struct {
	RSS, HWM uint64 // bytes: VmRSS now, and VmHWM, its peak so far
}

func readMem(pid int) (memStat, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memStat{}, err
	}
	defer f.Close()
	var m memStat
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		fields := strings.Fields(v) // "12345 kB"
		if len(fields) != 2 || fields[1] != "kB" {
			continue
		}
		n, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			continue
		}
		if k == "VmRSS" {
			m.RSS = n << 10
		} else {
			m.HWM = n << 10
		}
	}
	if m.RSS == 0 {
		return m, errors.New("no VmRSS in /proc status")
	}
	return m, sc.Err()
}

func mib(b uint64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }

// lineTail keeps the last lines of a process's output.
type lineTail struct {
	mu    sync.Mutex
	lines []string
}

func (t *lineTail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(line) > 500 {
		line = line[:500] + "…"
	}
	t.lines = append(t.lines, line)
	if len(t.lines) > 20 {
		t.lines = t.lines[1:]
	}
}

func (t *lineTail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
