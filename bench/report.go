package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// report is everything a run found, printed as Markdown.
type report struct {
	Config  config
	Machine machine

	Seed      *seedResult // nil when -db was given
	DBSize    int64
	BuildTime time.Duration

	MastheadArgs                []string
	MastheadIdle, MastheadAfter memStat
	PlainIdle, PlainAfter       memStat

	Targets []*targetResult
	Posters []*posterResult
}

type targetResult struct {
	Name            string
	Paths           []string
	Sizes           []int // body bytes of each page
	Masthead, Plain *loadResult
}

type machine struct {
	NumCPU, GOMAXPROCS int
	GoVersion          string // of the toolchain on PATH
	CPU, Kernel        string
	LoadBefore         string
	LoadAfter          string
	Revision           string
}

func machineInfo() machine {
	m := machine{
		NumCPU:     runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion:  runtime.Version(),
		LoadBefore: loadavg(),
	}
	if out, err := exec.Command("go", "version").Output(); err == nil {
		m.GoVersion = strings.TrimPrefix(strings.TrimSpace(string(out)), "go version ")
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if out, err := exec.Command("git", "-C", moduleRoot(), "describe", "--always", "--dirty").Output(); err == nil {
		m.Revision = strings.TrimSpace(string(out))
	}
	return m
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "–"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	default:
		return d.Round(time.Millisecond).String()
	}
}

func avgKiB(sizes []int) string {
	if len(sizes) == 0 {
		return "–"
	}
	var t int
	for _, s := range sizes {
		t += s
	}
	return fmt.Sprintf("%.1f", float64(t)/float64(len(sizes))/1024)
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// Memory targets from the product brief.
const (
	idleTargetMiB = 30
	loadTargetMiB = 60
)

func (r *report) markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	c := r.Config
	m := r.Machine

	w("# masthead benchmark, %s\n\n", time.Now().Format("2006-01-02 15:04 MST"))
	w("## Machine and configuration\n\n")
	w("| | |\n|---|---|\n")
	w("| CPU | %s (nproc %d, GOMAXPROCS %d) |\n", orDash(m.CPU), m.NumCPU, m.GOMAXPROCS)
	w("| kernel | %s |\n", orDash(m.Kernel))
	w("| Go | %s |\n", m.GoVersion)
	w("| revision | %s |\n", orDash(m.Revision))
	w("| load average before / after | %s / %s |\n", m.LoadBefore, m.LoadAfter)
	w("| stories | %d |\n", c.Stories)
	if r.Seed != nil {
		w("| generation | %d stories (%.1f MiB Markdown) via SaveStory in %v, %.0f stories/s, %d workers |\n",
			r.Seed.Stories, float64(r.Seed.Bytes)/(1<<20), r.Seed.Elapsed.Round(time.Millisecond),
			float64(r.Seed.Stories)/r.Seed.Elapsed.Seconds(), c.GenWorkers)
	} else {
		w("| database | %s (given with -db) |\n", c.DBPath)
	}
	w("| database size | %.1f MiB |\n", float64(r.DBSize)/(1<<20))
	w("| masthead command | `masthead %s` |\n", strings.Join(r.MastheadArgs, " "))
	w("| load | closed loop, %d workers, keep-alive, no compression; %v warm-up + %v measured per target and server, %d round(s), masthead and plain alternating |\n",
		c.Concurrency, c.Warmup, c.Duration, c.Rounds)
	w("\n")

	w("## Masthead against the plain baseline\n\n")
	w("| target | page KiB | masthead req/s | plain req/s | ratio | masthead p50 | plain p50 | masthead p99 | plain p99 |\n")
	w("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, t := range r.Targets {
		w("| %s | %s | %.0f | %.0f | **%s** | %s | %s | %s | %s |\n", t.Name, avgKiB(t.Sizes),
			t.Masthead.throughput(), t.Plain.throughput(), ratio(t.Masthead.throughput(), t.Plain.throughput()),
			fmtDur(t.Masthead.Hist.quantile(0.5)), fmtDur(t.Plain.Hist.quantile(0.5)),
			fmtDur(t.Masthead.Hist.quantile(0.99)), fmtDur(t.Plain.Hist.quantile(0.99)))
	}
	w("\n")

	w("## Detail\n\n")
	w("| target | server | requests | errors | req/s | mean | p50 | p90 | p99 | max |\n")
	w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, t := range r.Targets {
		for _, s := range []struct {
			name string
			res  *loadResult
		}{{"masthead", t.Masthead}, {"plain", t.Plain}} {
			h := &s.res.Hist
			w("| %s | %s | %d | %d | %.0f | %s | %s | %s | %s | %s |\n", t.Name, s.name, s.res.Requests, s.res.Errors,
				s.res.throughput(), fmtDur(h.mean()), fmtDur(h.quantile(0.5)), fmtDur(h.quantile(0.9)),
				fmtDur(h.quantile(0.99)), fmtDur(time.Duration(h.max)))
		}
	}
	w("\n")
	errs := false
	for _, t := range r.Targets {
		for _, s := range []struct {
			name string
			res  *loadResult
		}{{"masthead", t.Masthead}, {"plain", t.Plain}} {
			if s.res.FirstErr != "" {
				w("- %s, %s: first error: `%s`\n", t.Name, s.name, s.res.FirstErr)
				errs = true
			}
		}
	}
	if errs {
		w("\n")
	}
	w("Targets: ")
	for i, t := range r.Targets {
		if i > 0 {
			w(", ")
		}
		if len(t.Paths) == 1 {
			w("%s `%s`", t.Name, t.Paths[0])
		} else {
			w("%s: %d story pages in rotation", t.Name, len(t.Paths))
		}
	}
	w(".\n\n")

	w("## Memory (resident set, MiB)\n\n")
	w("| process | idle RSS | idle peak (VmHWM) | RSS after load | peak under load (VmHWM) | target |\n")
	w("|---|---:|---:|---:|---:|---|\n")
	w("| masthead | %s | %s | %s | %s | idle < %d (%s), load < %d (%s) |\n",
		mib(r.MastheadIdle.RSS), mib(r.MastheadIdle.HWM), mib(r.MastheadAfter.RSS), mib(r.MastheadAfter.HWM),
		idleTargetMiB, verdict(r.MastheadIdle.RSS, idleTargetMiB), loadTargetMiB, verdict(r.MastheadAfter.HWM, loadTargetMiB))
	w("| plain | %s | %s | %s | %s | |\n", mib(r.PlainIdle.RSS), mib(r.PlainIdle.HWM), mib(r.PlainAfter.RSS), mib(r.PlainAfter.HWM))
	w("\n")
	return b.String()
}

func verdict(bytes uint64, targetMiB int) string {
	if bytes == 0 {
		return "not measured"
	}
	if bytes < uint64(targetMiB)<<20 {
		return "met"
	}
	return "MISSED"
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
