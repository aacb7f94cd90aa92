// Command bench measures how fast masthead serves its busiest pages and how
// much memory it needs doing so.
//
// It writes a newsroom of generated stories into a fresh SQLite database,
// builds and starts the masthead binary on it, and drives a closed-loop load
// at the home page, a section page and story pages. Each page is also served,
// byte for byte, by a plain net/http server in a separate process, so that
// every masthead number has a baseline taken the same way on the same
// machine at the same time. See docs/benchmarks.md.
//
// Usage:
//
//	go run ./bench [-stories 10000] [-duration 10s] [-concurrency 32] [-warmup 2s] [-out FILE]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

type config struct {
	Stories      int
	Duration     time.Duration
	Warmup       time.Duration
	Concurrency  int
	Rounds       int
	Out          string
	Seed         uint64
	GenWorkers   int
	DBPath       string
	Bin          string
	Keep         bool
	Perf         bool
	Targets      string
	Posters      int
	PostDuration time.Duration
	PostgresURL  string
}

func main() {
	var cfg config
	flag.IntVar(&cfg.Stories, "stories", 10000, "number of stories to generate")
	flag.DurationVar(&cfg.Duration, "duration", 10*time.Second, "measured load per target and server")
	flag.DurationVar(&cfg.Warmup, "warmup", 2*time.Second, "unmeasured load before each measurement")
	flag.IntVar(&cfg.Concurrency, "concurrency", 32, "closed-loop client workers")
	flag.IntVar(&cfg.Rounds, "rounds", 1, "times to repeat the masthead/plain alternation per target (results are pooled)")
	flag.StringVar(&cfg.Out, "out", "", "also write the report as Markdown to this file")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "seed of the newsroom generator")
	flag.IntVar(&cfg.GenWorkers, "gen-workers", runtime.NumCPU(), "goroutines calling SaveStory while generating")
	flag.StringVar(&cfg.DBPath, "db", "", "use this existing masthead SQLite database instead of generating one")
	flag.StringVar(&cfg.Bin, "bin", "", "use this masthead binary instead of building ./cmd/masthead")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep the temporary directory (database, binary, pages)")
	flag.BoolVar(&cfg.Perf, "perf", false, "record perf profiles of masthead under load into bench-perf-TARGET.data (needs perf)")
	flag.StringVar(&cfg.Targets, "targets", "home,section,story,story100,comments100,comments10k,posters", "comma-separated targets to load")
	flag.IntVar(&cfg.Posters, "posters", 50, "concurrent signed-in clients posting comments (target posters)")
	flag.DurationVar(&cfg.PostDuration, "post-duration", 30*time.Second, "how long the posters post")
	flag.StringVar(&cfg.PostgresURL, "postgres-url", "", "also run the posters against masthead on this PostgreSQL database (postgres://...)")
	// The plain baseline server: the bench binary re-executed by itself.
	servePlainDir := flag.String("serve-plain", "", "")
	servePlainAddr := flag.String("addr", "127.0.0.1:0", "")
	flag.Usage = func() {
		out := flag.CommandLine.Output()
		fmt.Fprintf(out, "Usage: go run ./bench [flags]\n\nLoad-tests masthead against a plain net/http baseline. Flags:\n")
		flag.VisitAll(func(f *flag.Flag) {
			if f.Usage == "" {
				return // hidden
			}
			fmt.Fprintf(out, "  -%s\t%s (default %q)\n", f.Name, f.Usage, f.DefValue)
		})
	}
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench: ")

	if *servePlainDir != "" {
		if err := servePlain(*servePlainDir, *servePlainAddr); err != nil {
			log.Fatal(err)
		}
		return
	}
	if cfg.Stories < 1 || cfg.Concurrency < 1 || cfg.Duration <= 0 || cfg.Rounds < 1 {
		log.Fatal("-stories, -concurrency, -duration and -rounds must be positive")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		log.Fatal(err)
	}
}

// target is one page (or set of pages) under load.
type target struct {
	Name  string
	Paths []string
}

func run(ctx context.Context, cfg config) error {
	rep := &report{Config: cfg, Machine: machineInfo()}

	tmp, err := os.MkdirTemp("", "masthead-bench-")
	if err != nil {
		return err
	}
	if cfg.Keep {
		log.Printf("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	// 1. The newsroom.
	dbPath := cfg.DBPath
	if dbPath == "" {
		dbPath = filepath.Join(tmp, "masthead.db")
		log.Printf("generating %d stories into %s", cfg.Stories, dbPath)
		res, err := seed(ctx, "sqlite:"+dbPath, cfg.Stories, cfg.GenWorkers, cfg.Seed, func(done int) {
			log.Printf("  %d stories", done)
		})
		if err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		rep.Seed = res
		log.Printf("generated %d stories in %v (%.0f stories/s)", res.Stories, res.Elapsed.Round(time.Millisecond), float64(res.Stories)/res.Elapsed.Seconds())
	}
	wantPosters, wantThreads := false, false
	var pageTargets []string
	for _, n := range strings.Split(cfg.Targets, ",") {
		switch n = strings.TrimSpace(n); n {
		case "posters":
			wantPosters = true
			continue
		case "comments100", "comments10k":
			wantThreads = true
		}
		pageTargets = append(pageTargets, n)
	}
	cfg.Targets = strings.Join(pageTargets, ",")
	if wantThreads {
		if err := seedCommentThreads(ctx, "sqlite:"+dbPath, cfg.Seed); err != nil {
			return fmt.Errorf("comment threads: %w", err)
		}
	}
	rep.DBSize = dbFileSize(dbPath)
	pick, err := pickPages(ctx, "sqlite:"+dbPath, cfg.Seed)
	if err != nil {
		return fmt.Errorf("pick pages: %w", err)
	}

	// 2. The binary.
	bin := cfg.Bin
	if bin == "" {
		bin = filepath.Join(tmp, "masthead")
		log.Printf("building ./cmd/masthead")
		t0 := time.Now()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/masthead")
		cmd.Dir = moduleRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build ./cmd/masthead: %v\n%s", err, out)
		}
		rep.BuildTime = time.Since(t0)
	}

	// 2b. The posters, each on its own masthead, before the page targets.
	if wantPosters {
		urls := []struct{ name, url string }{{"sqlite", "sqlite:" + dbPath}}
		if cfg.PostgresURL != "" {
			urls = append(urls, struct{ name, url string }{"postgres", cfg.PostgresURL})
		}
		for _, u := range urls {
			res, err := runPosters(ctx, bin, u.url, u.name, cfg.Posters, cfg.PostDuration)
			if err != nil {
				return fmt.Errorf("posters on %s: %w", u.name, err)
			}
			rep.Posters = append(rep.Posters, res)
		}
		if len(pageTargets) == 0 {
			text := postersMarkdown(rep.Posters)
			fmt.Print(text)
			if cfg.Out != "" {
				return os.WriteFile(cfg.Out, []byte(text), 0o644)
			}
			return nil
		}
	}

	// 3. masthead.
	m, args, err := startMasthead(ctx, bin, dbPath)
	if err != nil {
		return err
	}
	defer m.stop()
	rep.MastheadArgs = args
	time.Sleep(time.Second) // let start-up work settle
	rep.MastheadIdle, _ = readMem(m.cmd.Process.Pid)
	log.Printf("masthead pid %d at %s: idle RSS %s MiB", m.cmd.Process.Pid, m.url, mib(rep.MastheadIdle.RSS))

	// 4. Targets, and the baseline's copy of each page.
	targets := []target{
		{Name: "home", Paths: []string{"/"}},
		{Name: "section", Paths: []string{"/sections/" + pick.Section}},
		{Name: "story", Paths: []string{"/stories/" + pick.Story}},
		{Name: "story100", Paths: nil},
		{Name: "comments100", Paths: []string{"/stories/" + comments100Slug}},
		{Name: "comments10k", Paths: []string{"/stories/" + comments10kSlug}},
	}
	for _, s := range pick.Random {
		targets[3].Paths = append(targets[3].Paths, "/stories/"+s)
	}
	targets, err = selectTargets(targets, cfg.Targets)
	if err != nil {
		return err
	}
	tr := newTransport(cfg.Concurrency)
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pagesDir := filepath.Join(tmp, "pages")
	if err := os.MkdirAll(pagesDir, 0o755); err != nil {
		return err
	}
	var man plainManifest
	sizes := map[string][]int{}
	for _, t := range targets {
		for _, p := range t.Paths {
			h, body, err := get(client, m.url+p)
			if err != nil {
				return fmt.Errorf("masthead %s: %w", p, err)
			}
			sizes[t.Name] = append(sizes[t.Name], len(body))
			if err := writePlainPage(pagesDir, &man, p, h, body); err != nil {
				return err
			}
		}
	}
	if err := writeManifest(pagesDir, &man); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	p, err := startServer(ctx, "plain", exec.Command(self, "-serve-plain", pagesDir, "-addr", "127.0.0.1:0"), "", "", 30*time.Second)
	if err != nil {
		return err
	}
	defer p.stop()
	time.Sleep(500 * time.Millisecond)
	rep.PlainIdle, _ = readMem(p.cmd.Process.Pid)

	// 5. Load, masthead and plain alternately.
	for _, t := range targets {
		tres := &targetResult{Name: t.Name, Paths: t.Paths, Sizes: sizes[t.Name],
			Masthead: &loadResult{}, Plain: &loadResult{}}
		for round := range cfg.Rounds {
			order := []*server{m, p}
			if round%2 == 1 {
				order = []*server{p, m}
			}
			for _, s := range order {
				if err := ctx.Err(); err != nil {
					return err
				}
				var urls []string
				for _, path := range t.Paths {
					urls = append(urls, s.url+path)
				}
				tr.CloseIdleConnections()
				var perfDone func()
				if cfg.Perf && s == m && round == 0 {
					perfDone = startPerf(ctx, m.cmd.Process.Pid, cfg.Warmup+cfg.Duration, "bench-perf-"+t.Name+".data")
				}
				res, err := runLoad(ctx, client, urls, cfg.Concurrency, cfg.Warmup, cfg.Duration)
				if perfDone != nil {
					perfDone()
				}
				if err != nil {
					return err
				}
				log.Printf("%-9s %-8s %8.0f req/s  p50 %-9s p99 %-9s errors %d %s", t.Name, s.name, res.throughput(),
					fmtDur(res.Hist.quantile(0.5)), fmtDur(res.Hist.quantile(0.99)), res.Errors, res.FirstErr)
				if s == m {
					tres.Masthead.merge(res)
				} else {
					tres.Plain.merge(res)
				}
				time.Sleep(300 * time.Millisecond)
			}
		}
		rep.Targets = append(rep.Targets, tres)
	}
	tr.CloseIdleConnections()

	// 6. Memory after load.
	rep.MastheadAfter, _ = readMem(m.cmd.Process.Pid)
	rep.PlainAfter, _ = readMem(p.cmd.Process.Pid)
	rep.Machine.LoadAfter = loadavg()

	// 7. The report.
	text := rep.markdown() + commentPagesMarkdown(rep.Targets) + postersMarkdown(rep.Posters)
	fmt.Print(text)
	if cfg.Out != "" {
		if err := os.WriteFile(cfg.Out, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// startMasthead starts `masthead serve` on a free loopback port with
// logging turned down when the binary supports it, and waits for /readyz.
func startMasthead(ctx context.Context, bin, dbPath string) (*server, []string, error) {
	return startMastheadURL(ctx, bin, "sqlite:"+dbPath)
}

// startMastheadURL is startMasthead on any database URL, with extra serve
// flags.
func startMastheadURL(ctx context.Context, bin, dbURL string, extra ...string) (*server, []string, error) {
	help, _ := exec.CommandContext(ctx, bin, "serve", "-h").CombinedOutput()
	port, err := freePort()
	if err != nil {
		return nil, nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	args := []string{"serve", "--addr", addr, "--database", dbURL}
	if strings.Contains(string(help), "log-format") {
		args = append(args, "--log-format", "json")
	}
	if strings.Contains(string(help), "log-level") {
		args = append(args, "--log-level", "warn")
	}
	args = append(args, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = os.Environ()
	s, err := startServer(ctx, "masthead", cmd, "http://"+addr, "/readyz", 60*time.Second)
	if err != nil {
		return nil, nil, err
	}
	return s, args, nil
}

func get(client *http.Client, u string) (http.Header, []byte, error) {
	resp, err := client.Get(u)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("status %d: %.300s", resp.StatusCode, body)
	}
	return resp.Header, body, nil
}

// pickedPages are the pages the load goes to.
type pickedPages struct {
	Section string   // a section slug
	Story   string   // a typical story: free, from the middle of the archive
	Random  []string // 100 stories chosen at random
}

func moduleRoot() string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "."
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "."
	}
	return filepath.Dir(gomod)
}

func dbFileSize(path string) int64 {
	var total int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			total += fi.Size()
		}
	}
	return total
}

// startPerf records a CPU profile of pid for d with perf, and returns a
// function that waits for it to finish.
func startPerf(ctx context.Context, pid int, d time.Duration, out string) func() {
	cmd := exec.CommandContext(ctx, "perf", "record", "-F", "499", "-g", "-p", fmt.Sprint(pid), "-o", out, "--", "sleep", fmt.Sprint(d.Seconds()))
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		log.Printf("perf: %v", err)
		return func() {}
	}
	log.Printf("perf recording masthead to %s", out)
	return func() { cmd.Wait() }
}

func selectTargets(all []target, names string) ([]target, error) {
	var out []target
	for _, n := range strings.Split(names, ",") {
		n = strings.TrimSpace(n)
		found := false
		for _, t := range all {
			if t.Name == n {
				out = append(out, t)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("-targets: unknown target %q (want home, section, story, story100, comments100, comments10k or posters)", n)
		}
	}
	return out, nil
}
