package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browser is one headless Chromium with one tab, and the console errors the
// tab has seen.
type browser struct {
	ctx  context.Context // the chromedp context of the tab
	noJS bool            // JavaScript is turned off in the tab

	mu       sync.Mutex
	problems []string // console errors, uncaught exceptions, error log entries
	reported int      // how many of problems checkConsole has reported
}

// chromiumPath finds Chromium: Debian's /usr/bin/chromium, or chromium,
// chromium-browser, google-chrome on PATH.
func chromiumPath() string {
	if fileExists("/usr/bin/chromium") {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile for the test,
// with or without JavaScript, and closes it when the test ends. It skips
// the test (or fails it under MASTHEAD_REQUIRE_ALL=1) when Chromium is not
// installed.
func newBrowser(t *testing.T, javascript bool) *browser {
	t.Helper()
	exe := chromiumPath()
	if exe == "" {
		skipOrFail(t, "no Chromium: install Debian's chromium package (apt-get install chromium), or put chromium on PATH")
	}

	output := &syncBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // root in containers and CI
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(output),
	)
	// Not t.Context: it ends before the cleanups run, and the browser must
	// close in a cleanup, gracefully, before its profile directory goes.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{noJS: !javascript}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(b.listen))
	b.ctx = ctx

	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
		defer ccancel()
		chromedp.Cancel(cctx)
		cancel()
		cancelAlloc()
		if t.Failed() {
			if out := chromiumOutput(output.String()); out != "" {
				t.Logf("chromium output (last lines, D-Bus noise left out):\n%s", indent(out))
			}
		}
	})

	// The first action starts the browser; give it no deadline of its own,
	// as a deadline on the first Run would bind the browser's life to it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium (%s): %v\n%s", exe, err, indent(output.String()))
	}
	if !javascript {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
			emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("disable JavaScript: %v", err)
		}
	}
	return b
}

// chromiumOutput returns the last lines of Chromium's own output without
// the D-Bus complaints it prints on machines (containers, CI) without D-Bus.
func chromiumOutput(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if strings.TrimSpace(line) != "" && !strings.Contains(line, "dbus") {
			keep = append(keep, line)
		}
	}
	if len(keep) > 40 {
		keep = keep[len(keep)-40:]
	}
	return strings.Join(keep, "\n")
}

// listen records what the page reports as an error. It runs in the tab's
// event loop, so it only appends.
func (b *browser) listen(ev any) {
	var p string
	switch ev := ev.(type) {
	case *cdpruntime.EventConsoleAPICalled:
		if ev.Type != cdpruntime.ConsoleAPICalledTypeError && ev.Type != cdpruntime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, remoteObjectText(a))
		}
		p = fmt.Sprintf("console.%s: %s%s", ev.Type, strings.Join(parts, " "), stackPlace(ev.StackTrace))
	case *cdpruntime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		p = fmt.Sprintf("uncaught exception: %s (%s:%d:%d)", text, d.URL, d.LineNumber+1, d.ColumnNumber+1)
	case *cdplog.EventEntryAdded:
		// Failed loads, CSP violations and other browser-side errors.
		if ev.Entry == nil || ev.Entry.Level != cdplog.EntryLevelError {
			return
		}
		p = fmt.Sprintf("browser log (%s): %s", ev.Entry.Source, ev.Entry.Text)
		if ev.Entry.URL != "" {
			p += " [" + ev.Entry.URL + "]"
		}
	default:
		return
	}
	b.mu.Lock()
	b.problems = append(b.problems, p)
	b.mu.Unlock()
}

func remoteObjectText(o *cdpruntime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if len(o.Value) > 0 {
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			return s
		}
		return string(o.Value)
	}
	if o.Description != "" {
		return o.Description
	}
	return string(o.Type)
}

func stackPlace(st *cdpruntime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (%s:%d:%d)", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}

// checkConsole fails the test for every console error, uncaught exception
// or browser error log entry since the last check; page names the page for
// the message.
func (b *browser) checkConsole(t *testing.T, page string) {
	t.Helper()
	b.mu.Lock()
	fresh := b.problems[b.reported:]
	b.reported = len(b.problems)
	b.mu.Unlock()
	for _, p := range fresh {
		t.Errorf("%s: %s", page, p)
	}
}

// do runs actions in the tab with a per-step timeout.
func (b *browser) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// run runs one action that returns a value, with a per-step timeout.
func run[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// open navigates to u, requires a 200 response, waits for the body, and
// checks the page with axe and for console errors.
func (b *browser) open(t *testing.T, u string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("navigate to %s: %v", u, err)
	}
	if resp == nil || resp.Status != 200 {
		status := int64(0)
		if resp != nil {
			status = resp.Status
		}
		t.Fatalf("navigate to %s: status %d, want 200", u, status)
	}
	b.do(t, "wait for body of "+u, chromedp.WaitReady(chromedp.CSS("body")))
	b.checkPage(t, u)
}

// checkPage runs axe on the current page and checks the console.
func (b *browser) checkPage(t *testing.T, page string) {
	t.Helper()
	checkAxe(t, b, page)
	b.checkConsole(t, page)
}

// axeSource is node_modules/axe-core/axe.min.js, read once.
var axeSource = sync.OnceValues(func() (string, error) {
	p := filepath.Join("node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("%s: %w (run: npm ci --prefix e2e)", p, err)
	}
	return string(src), nil
})

// axeViolation is the part of an axe result that a failure message needs.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRun runs axe on the document and returns its violations in a compact
// form. It is one expression, evaluated after axe.min.js.
const axeRun = `(async () => {
	const r = await axe.run(document, {resultTypes: ['violations']});
	return r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: JSON.stringify(n.target),
			html: n.html.length > 300 ? n.html.slice(0, 300) + '…' : n.html,
			summary: n.failureSummary || '',
		})),
	}));
})()`

// checkAxe injects axe-core into the current page and fails the test on any
// violation of serious or critical impact; milder ones are logged.
//
// axe goes in through the DevTools protocol (Runtime.evaluate), which the
// page's Content Security Policy does not govern: a strict script-src
// neither blocks it nor logs a violation. On a tab with JavaScript turned
// off, Runtime.evaluate still runs, but timers do not, and axe.run waits
// on them forever; so checkAxe turns scripts on for the check and off
// again. The page's own scripts were skipped when it loaded and do not run
// then, so axe sees the page as a reader without JavaScript does.
func checkAxe(t *testing.T, b *browser, page string) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		skipOrFail(t, "axe-core is not installed: %v", err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()

	if b.noJS {
		setScripts(t, ctx, false)
		defer setScripts(t, ctx, true)
	}

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+"\n;typeof axe === 'object'")); err != nil {
		t.Fatalf("axe on %s: inject axe-core: %v", page, err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: run: %v", page, err)
	}
	for _, v := range violations {
		var nodes strings.Builder
		for _, n := range v.Nodes {
			fmt.Fprintf(&nodes, "\n      %s  %s", n.Target, n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&nodes, "\n        %s", strings.ReplaceAll(n.Summary, "\n", "\n        "))
			}
		}
		msg := fmt.Sprintf("axe on %s: %s (%s): %s <%s>%s", page, v.ID, v.Impact, v.Help, v.HelpURL, nodes.String())
		switch v.Impact {
		case "serious", "critical":
			t.Error(msg)
		default:
			t.Log(msg)
		}
	}
}

func setScripts(t *testing.T, ctx context.Context, disabled bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: disabled}); err != nil {
		t.Fatalf("set script execution disabled=%v: %v", disabled, err)
	}
}

// withTimeout returns a context of the tab that ends after d.
func withTimeout(b *browser, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, d)
}
