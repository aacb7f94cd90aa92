package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// loadResult is what one closed-loop run against one target measured.
type loadResult struct {
	Requests uint64        // completed inside the measured window, errors included
	Errors   uint64        // non-200 responses and transport errors
	Bytes    uint64        // response body bytes read in the window
	Elapsed  time.Duration // length of the measured window
	Hist     histogram     // latencies of successful requests
	// FirstErr describes the first error seen, to make a failing run
	// diagnosable.
	FirstErr string
}

func (r *loadResult) throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests-r.Errors) / r.Elapsed.Seconds()
}

func (r *loadResult) merge(o *loadResult) {
	r.Requests += o.Requests
	r.Errors += o.Errors
	r.Bytes += o.Bytes
	r.Elapsed += o.Elapsed
	r.Hist.merge(&o.Hist)
	if r.FirstErr == "" {
		r.FirstErr = o.FirstErr
	}
}

// newTransport returns the client transport every load run shares: keep-alive
// connections, one idle connection kept per worker, no compression (the
// plain baseline serves the exact bytes masthead sent, uncompressed).
func newTransport(concurrency int) *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        concurrency * 2,
		MaxIdleConnsPerHost: concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
}

// runLoad drives concurrency closed-loop workers against urls (each worker
// walks the list round-robin from its own offset) for warmup and then
// duration. Only requests that complete inside the measured window count.
// The run is bounded: every request carries a deadline, and workers stop
// issuing at the end of the window.
func runLoad(ctx context.Context, client *http.Client, urls []string, concurrency int, warmup, duration time.Duration) (*loadResult, error) {
	if len(urls) == 0 {
		return nil, errors.New("runLoad: no URLs")
	}
	reqs := make([][]*http.Request, concurrency)
	for w := range reqs {
		for _, u := range urls {
			req, err := http.NewRequest(http.MethodGet, u, nil)
			if err != nil {
				return nil, err
			}
			req.Header.Set("User-Agent", "masthead-bench")
			reqs[w] = append(reqs[w], req)
		}
	}
	start := time.Now()
	measureFrom := start.Add(warmup)
	stopAt := measureFrom.Add(duration)
	ctx, cancel := context.WithDeadline(ctx, stopAt.Add(10*time.Second))
	defer cancel()

	results := make([]loadResult, concurrency)
	var wg sync.WaitGroup
	for w := range concurrency {
		wg.Go(func() {
			res := &results[w]
			list := reqs[w]
			i := w % len(list)
			buf := make([]byte, 32<<10)
			for {
				t0 := time.Now()
				if !t0.Before(stopAt) || ctx.Err() != nil {
					return
				}
				req := list[i].WithContext(ctx)
				i = (i + 1) % len(list)
				n, status, err := fetch(client, req, buf)
				t1 := time.Now()
				if t1.Before(measureFrom) || t1.After(stopAt) {
					continue
				}
				res.Requests++
				res.Bytes += uint64(n)
				switch {
				case err != nil:
					res.Errors++
					if res.FirstErr == "" {
						res.FirstErr = err.Error()
					}
				case status != http.StatusOK:
					res.Errors++
					if res.FirstErr == "" {
						res.FirstErr = fmt.Sprintf("%s: status %d", req.URL.Path, status)
					}
				default:
					res.Hist.record(t1.Sub(t0))
				}
			}
		})
	}
	wg.Wait()
	total := &loadResult{}
	for i := range results {
		total.merge(&results[i])
	}
	total.Elapsed = duration
	return total, nil
}

func fetch(client *http.Client, req *http.Request, buf []byte) (int64, int, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	n, err := io.CopyBuffer(io.Discard, onlyReader{resp.Body}, buf)
	resp.Body.Close()
	return n, resp.StatusCode, err
}

// onlyReader hides io.WriterTo so that io.CopyBuffer uses the worker's
// buffer instead of allocating.
type onlyReader struct{ io.Reader }
