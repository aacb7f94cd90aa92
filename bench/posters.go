package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// posterResult is what one posters run measured.
type posterResult struct {
	DB       string // "sqlite" or "postgres"
	Posters  int
	Elapsed  time.Duration
	Acked    uint64    // 201 answers
	Hist     histogram // latencies of acknowledged posts
	Errors   map[string]uint64
	Locked   uint64   // error answers mentioning "database is locked"
	FirstErr []string // the first few error bodies
	Args     []string
}

func (r *posterResult) perSecond() float64 {
	return float64(r.Acked) / r.Elapsed.Seconds()
}

func (r *posterResult) errorCount() uint64 {
	var n uint64
	for _, v := range r.Errors {
		n += v
	}
	return n
}

func (r *posterResult) errorsText() string {
	if len(r.Errors) == 0 {
		return "none"
	}
	var keys []string
	for k := range r.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, r.Errors[k]))
	}
	return strings.Join(parts, ", ")
}

// runPosters starts masthead on dbURL with the commenting limits lifted,
// signs in n fresh commenters, and has each post comments through the JSON
// API in a closed loop for d.
func runPosters(ctx context.Context, bin, dbURL, name string, n int, d time.Duration) (*posterResult, error) {
	log.Printf("posters on %s: creating %d commenters", name, n)
	emails, err := seedPosters(ctx, dbURL, n)
	if err != nil {
		return nil, fmt.Errorf("posters seed: %w", err)
	}
	m, args, err := startMastheadURL(ctx, bin, dbURL,
		"--comment-interval", "1ms", "--comments-per-day", "100000000", "--comment-duplicate-window", "1ms")
	if err != nil {
		return nil, err
	}
	defer m.stop()

	tr := newTransport(n)
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer tr.CloseIdleConnections()

	// Sign every poster in, a few at a time (each costs a password hash).
	cookies := make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	var signErr error
	var mu sync.Mutex
	for i, email := range emails {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := signIn(client, m.url, email)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && signErr == nil {
				signErr = fmt.Errorf("sign in %s: %w", email, err)
			}
			cookies[i] = c
		})
	}
	wg.Wait()
	if signErr != nil {
		return nil, signErr
	}
	log.Printf("posters on %s: %d signed in; posting for %v", name, n, d)

	postURL := m.url + "/api/v1/stories/" + postersStorySlug + "/comments"
	res := &posterResult{DB: name, Posters: n, Errors: map[string]uint64{}, Args: args}
	stopAt := time.Now().Add(d)
	ctx, cancel := context.WithDeadline(ctx, stopAt.Add(30*time.Second))
	defer cancel()
	start := time.Now()
	for w := range n {
		wg.Go(func() {
			var hist histogram
			var acked, locked uint64
			errs := map[string]uint64{}
			var bodies []string
			for seq := 0; ; seq++ {
				t0 := time.Now()
				if !t0.Before(stopAt) || ctx.Err() != nil {
					break
				}
				payload, _ := json.Marshal(map[string]any{
					"body": fmt.Sprintf("Bench comment %d by poster %d at %d: the council should publish the figures.", seq, w, t0.UnixNano()),
				})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, postURL, bytes.NewReader(payload))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json")
				req.Header.Set("Cookie", cookies[w])
				req.Header.Set("User-Agent", "masthead-bench")
				resp, err := client.Do(req)
				if err != nil {
					errs["transport"]++
					if len(bodies) < 1 {
						bodies = append(bodies, err.Error())
					}
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					acked++
					hist.record(time.Since(t0))
					continue
				}
				errs[fmt.Sprintf("status %d", resp.StatusCode)]++
				if bytes.Contains(body, []byte("database is locked")) {
					locked++
				}
				if len(bodies) < 3 {
					bodies = append(bodies, fmt.Sprintf("%d %.300s", resp.StatusCode, body))
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.Acked += acked
			res.Locked += locked
			res.Hist.merge(&hist)
			for k, v := range errs {
				res.Errors[k] += v
			}
			for _, b := range bodies {
				if len(res.FirstErr) < 5 {
					res.FirstErr = append(res.FirstErr, b)
				}
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	// masthead's own log lines about locked databases count too.
	tail := m.tail.String()
	res.Locked += uint64(strings.Count(tail, "database is locked"))
	if res.errorCount() > 0 {
		log.Printf("posters on %s: masthead's last log lines:\n%s", name, tail)
	}
	log.Printf("posters  %-8s %8.0f comments/s  p50 %-9s p99 %-9s acked %d  errors %d (%s)  database-is-locked %d",
		name, res.perSecond(), fmtDur(res.Hist.quantile(0.5)), fmtDur(res.Hist.quantile(0.99)),
		res.Acked, res.errorCount(), res.errorsText(), res.Locked)
	for _, b := range res.FirstErr {
		log.Printf("  error: %s", b)
	}
	return res, nil
}

// signIn posts the sign-in form and returns the Cookie header value the
// session needs.
func signIn(client *http.Client, base, email string) (string, error) {
	form := url.Values{"email": {email}, "password": {benchPassword}}
	resp, err := client.PostForm(base+"/signin", form)
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		return "", fmt.Errorf("status %d: %.300s", resp.StatusCode, body)
	}
	var parts []string
	for _, c := range resp.Cookies() {
		if c.Value != "" && c.MaxAge >= 0 {
			parts = append(parts, c.Name+"="+c.Value)
		}
	}
	if len(parts) == 0 {
		return "", errNoCookie
	}
	return strings.Join(parts, "; "), nil
}

// postersMarkdown is the report's section on the posters runs.
func postersMarkdown(rs []*posterResult) string {
	if len(rs) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Comment posting (JSON API, closed loop)\n\n")
	fmt.Fprintf(&b, "| database | posters | duration | acknowledged | comments/s | p50 | p99 | max | errors | database is locked |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %d | %v | %d | %.0f | %s | %s | %s | %s | %d |\n", r.DB, r.Posters, r.Elapsed.Round(time.Millisecond),
			r.Acked, r.perSecond(), fmtDur(r.Hist.quantile(0.5)), fmtDur(r.Hist.quantile(0.99)), fmtDur(time.Duration(r.Hist.max)), r.errorsText(), r.Locked)
	}
	for _, r := range rs {
		for _, e := range r.FirstErr {
			fmt.Fprintf(&b, "\n- %s error: `%s`", r.DB, strings.ReplaceAll(e, "`", "'"))
		}
		fmt.Fprintf(&b, "\n\nmasthead (%s): `masthead %s`\n", r.DB, strings.Join(r.Args, " "))
	}
	return b.String()
}

// commentPagesMarkdown compares the two comment thread pages, when both
// were loaded.
func commentPagesMarkdown(ts []*targetResult) string {
	var c100, c10k *targetResult
	for _, t := range ts {
		switch t.Name {
		case "comments100":
			c100 = t
		case "comments10k":
			c10k = t
		}
	}
	if c100 == nil || c10k == nil {
		return ""
	}
	a, b := c100.Masthead.throughput(), c10k.Masthead.throughput()
	verdict := "as fast as"
	if b < 0.9*a {
		verdict = "slower than"
	}
	return fmt.Sprintf("\n## Comment threads\n\nFirst page of the 10,000-comment thread: %.0f req/s (%.0f%% of plain), "+
		"first page of the 100-comment thread: %.0f req/s (%.0f%% of plain); 10k/100 = %.2f, so the 10k page is %s the 100 one "+
		"(within 10%% counts as as fast).\n",
		b, 100*b/c10k.Plain.throughput(), a, 100*a/c100.Plain.throughput(), b/a, verdict)
}
