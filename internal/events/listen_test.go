package events

import (
	"context"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"masthead"
	"masthead/internal/pgtest"
)

// wait is how long a test waits for a notification or a reconnection: a
// generous hang guard, not the one-second aim, whose latency is logged.
const wait = 5 * time.Second

// instance is one masthead instance's live-update side: a broker fed by
// Listen.
type instance struct {
	b       *Broker
	resyncs chan struct{} // receives on every call of the resync hook
	stop    func()        // cancels Listen and waits for it to return
}

// testLogger returns a logger writing to the test log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// startInstance runs Listen on url into a new broker and waits until it
// listens (its first resync). With withResync false it passes a nil hook
// and recognises LISTEN by polling pg_stat_activity instead.
func startInstance(t *testing.T, url, name string, withResync bool) *instance {
	t.Helper()
	in := &instance{b: NewBroker(Options{Logger: testLogger(t)}), resyncs: make(chan struct{}, 100)}
	var resync func(context.Context) error
	if withResync {
		resync = func(context.Context) error { in.resyncs <- struct{}{}; return nil }
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	logger := testLogger(t).With("instance", name)
	go func() { done <- Listen(ctx, url, in.b, logger, resync) }()
	var once sync.Once
	in.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%s: Listen returned %v, want nil after ctx ends", name, err)
				}
			case <-time.After(wait):
				t.Errorf("%s: Listen did not return within %v of ctx ending", name, wait)
			}
			in.b.Close()
		})
	}
	t.Cleanup(in.stop)
	if withResync {
		awaitResync(t, in, name)
	} else {
		awaitListeners(t, url, 1)
	}
	return in
}

// awaitResync waits for the instance's next resync call.
func awaitResync(t *testing.T, in *instance, name string) {
	t.Helper()
	select {
	case <-in.resyncs:
	case <-time.After(wait):
		t.Fatalf("%s: Listen did not LISTEN (and call resync) within %v", name, wait)
	}
}

// awaitListeners waits until n connections of Listen are listening on the
// database at url.
func awaitListeners(t *testing.T, url string, n int) {
	t.Helper()
	conn := connect(t, url)
	deadline := time.Now().Add(wait)
	for {
		var got int
		err := conn.QueryRow(context.Background(),
			`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND query LIKE 'LISTEN%'`,
			ApplicationName).Scan(&got)
		if err != nil {
			t.Fatalf("count listeners: %v", err)
		}
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("listeners: got %d, want %d within %v", got, n, wait)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// connect opens a plain connection (the "third" connection, as storage's).
func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// notify runs NotifySQL for e in a transaction that commits or rolls back,
// as storage does, and returns when the transaction has ended.
func notify(t *testing.T, conn *pgx.Conn, e masthead.CommentEvent, commit bool) {
	t.Helper()
	ctx := context.Background()
	payload, err := Payload(e)
	if err != nil {
		t.Fatalf("Payload: %v", err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	if _, err := tx.Exec(ctx, NotifySQL, Channel, payload); err != nil {
		t.Fatalf("notify: %v", err)
	}
	if commit {
		err = tx.Commit(ctx)
	} else {
		err = tx.Rollback(ctx)
	}
	if err != nil {
		t.Fatalf("end transaction: %v", err)
	}
}

// receive waits for the next event on s and returns it.
func receive(t *testing.T, s *Subscription, who string) masthead.CommentEvent {
	t.Helper()
	select {
	case e, ok := <-s.C():
		if !ok {
			t.Fatalf("%s: subscription ended (lagged %v), want an event", who, s.Lagged())
		}
		return e
	case <-time.After(wait):
		t.Fatalf("%s: no event within %v", who, wait)
	}
	panic("unreachable")
}

func TestListenAcrossInstances(t *testing.T) {
	url := pgtest.URL(t)
	a := startInstance(t, url, "A", true)
	b := startInstance(t, url, "B", true)
	storage := connect(t, url)

	const story = 7
	subs := map[string]*Subscription{
		"A": a.b.Subscribe(story), "A2": a.b.Subscribe(story), "B": b.b.Subscribe(story),
	}
	other := b.b.Subscribe(story + 1)

	steps := []struct {
		name   string
		notify []masthead.CommentEvent
		commit bool
		want   int64 // the next event ID every subscriber receives
	}{
		{name: "committed notification reaches both instances", notify: []masthead.CommentEvent{ev(story, 1)}, commit: true, want: 1},
		{name: "rolled-back notification reaches nobody", notify: []masthead.CommentEvent{ev(story, 2)}, commit: false},
		{name: "after a rollback, the next commit arrives first", notify: []masthead.CommentEvent{ev(story, 3)}, commit: true, want: 3},
		{name: "repeated and older IDs are dropped", notify: []masthead.CommentEvent{ev(story, 3), ev(story, 1), ev(story, 4)}, commit: true, want: 4},
		{name: "several events in one transaction arrive in order", notify: []masthead.CommentEvent{ev(story, 5), ev(story, 6)}, commit: true, want: 5},
		{name: "and the second", want: 6},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			start := time.Now()
			if len(st.notify) > 0 {
				ctx := context.Background()
				tx, err := storage.Begin(ctx)
				if err != nil {
					t.Fatalf("begin: %v", err)
				}
				for _, e := range st.notify {
					p, _ := Payload(e)
					if _, err := tx.Exec(ctx, NotifySQL, Channel, p); err != nil {
						t.Fatalf("notify: %v", err)
					}
				}
				if st.commit {
					err = tx.Commit(ctx)
				} else {
					err = tx.Rollback(ctx)
				}
				if err != nil {
					t.Fatalf("end transaction: %v", err)
				}
			}
			if st.want == 0 {
				return // checked by the next step receiving its event first
			}
			for _, who := range []string{"A", "A2", "B"} {
				e := receive(t, subs[who], who)
				if e.ID != st.want {
					t.Errorf("%s: got event %d, want %d", who, e.ID, st.want)
				}
				if want := ev(story, st.want); !e.At.Equal(want.At) || e.Kind != want.Kind || e.CommentID != want.CommentID {
					t.Errorf("%s: got %+v, want %+v", who, e, want)
				}
				if len(st.notify) > 0 {
					t.Logf("latency, commit to subscriber %s: %v", who, time.Since(start))
				}
			}
		})
	}
	if got, closed := drain(other); len(got) != 0 || closed {
		t.Errorf("other story's subscriber: got %v (closed %v), want nothing", got, closed)
	}
	for who, s := range subs {
		if got, closed := drain(s); len(got) != 0 || closed {
			t.Errorf("%s: left over %v (closed %v), want nothing", who, got, closed)
		}
	}
}

// TestListenLatency measures, over many notifications, the time from a
// committed NOTIFY on one connection to a subscriber of another instance.
// It reports; it asserts only delivery.
func TestListenLatency(t *testing.T) {
	url := pgtest.URL(t)
	a := startInstance(t, url, "A", true)
	b := startInstance(t, url, "B", true)
	storage := connect(t, url)
	sa, sb := a.b.Subscribe(1), b.b.Subscribe(1)
	const n = 200
	var lat []time.Duration
	for id := int64(1); id <= n; id++ {
		start := time.Now()
		notify(t, storage, ev(1, id), true)
		for who, s := range map[string]*Subscription{"A": sa, "B": sb} {
			if e := receive(t, s, who); e.ID != id {
				t.Fatalf("%s: got event %d, want %d", who, e.ID, id)
			}
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	t.Logf("latency over %d notifications, commit start to both instances' subscribers: p50 %v, p99 %v, max %v",
		n, lat[n/2], lat[n*99/100], lat[n-1])
}

// terminateListeners ends, from the server side, every backend of Listen
// in the database at url, and returns how many it ended.
func terminateListeners(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	var n int
	err := conn.QueryRow(context.Background(),
		`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
		ApplicationName).Scan(&n)
	if err != nil {
		t.Fatalf("terminate listeners: %v", err)
	}
	return n
}

func TestListenReconnects(t *testing.T) {
	tests := []struct {
		name       string
		withResync bool
	}{
		{"with a resync hook, subscribers stay", true},
		{"without a resync hook, subscribers are lagged", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := pgtest.URL(t)
			storage := connect(t, url)
			before := runtime.NumGoroutine()
			in := startInstance(t, url, "A", tt.withResync)
			s := in.b.Subscribe(1)
			notify(t, storage, ev(1, 1), true)
			if e := receive(t, s, "before"); e.ID != 1 {
				t.Fatalf("got event %d, want 1", e.ID)
			}

			if n := terminateListeners(t, storage); n != 1 {
				t.Fatalf("terminated %d listener backends, want 1", n)
			}
			start := time.Now()
			if tt.withResync {
				awaitResync(t, in, "after terminate")
			} else {
				// The subscriber may have missed events: once LISTEN is
				// back, it is told so.
				select {
				case _, ok := <-s.C():
					if ok || !s.Lagged() {
						t.Fatalf("subscriber: open %v, lagged %v; want ended as lagged", ok, s.Lagged())
					}
				case <-time.After(wait):
					t.Fatalf("subscriber not ended within %v of the backend's end", wait)
				}
				s = in.b.Subscribe(1)
			}
			t.Logf("reconnected %v after the backend was terminated", time.Since(start))

			notify(t, storage, ev(1, 2), true)
			if e := receive(t, s, "after"); e.ID != 2 {
				t.Errorf("got event %d, want 2", e.ID)
			}
			if tt.withResync && s.Lagged() {
				t.Error("subscriber lagged although resync ran")
			}

			in.stop()
			waitGoroutines(t, before)
		})
	}
}

func TestListenRetriesUntilServerAnswers(t *testing.T) {
	// Nothing listens on port 1: Listen keeps retrying, logging, until ctx
	// ends, and then returns nil.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	b := NewBroker(Options{})
	defer b.Close()
	before := runtime.NumGoroutine()
	err := Listen(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1", b, testLogger(t), nil)
	if err != nil {
		t.Errorf("Listen = %v, want nil after ctx ends", err)
	}
	waitGoroutines(t, before)
}

func TestListenBadURL(t *testing.T) {
	b := NewBroker(Options{})
	defer b.Close()
	if err := Listen(context.Background(), "postgres://[::1", b, nil, nil); err == nil {
		t.Error("Listen with a malformed URL: nil error, want one")
	}
}
