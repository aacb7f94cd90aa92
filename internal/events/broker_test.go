package events

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// ev returns an event of a story.
func ev(storyID, id int64) masthead.CommentEvent {
	return masthead.CommentEvent{ID: id, StoryID: storyID, Kind: "posted", CommentID: id * 10, At: time.Unix(id, 0).UTC()}
}

// drain returns the IDs of the events buffered in s without waiting, and
// whether C was found closed.
func drain(s *Subscription) (ids []int64, closed bool) {
	for {
		select {
		case e, ok := <-s.C():
			if !ok {
				return ids, true
			}
			ids = append(ids, e.ID)
		default:
			return ids, false
		}
	}
}

// waitGoroutines waits until no more goroutines run than before, and fails
// the test if that does not happen within a few seconds.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: got %d, want at most %d (as before)\n%s", n, before, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBrokerDelivery(t *testing.T) {
	var ordered []masthead.CommentEvent
	var orderedIDs []int64
	for id := int64(1); id <= 50; id++ {
		ordered = append(ordered, ev(1, id))
		orderedIDs = append(orderedIDs, id)
	}
	tests := []struct {
		name    string
		stories []int64 // the story of each subscriber
		publish []masthead.CommentEvent
		want    [][]int64 // event IDs received, per subscriber
	}{
		{
			name:    "fan-out to every subscriber of a story",
			stories: []int64{1, 1, 1},
			publish: []masthead.CommentEvent{ev(1, 1), ev(1, 2), ev(1, 3)},
			want:    [][]int64{{1, 2, 3}, {1, 2, 3}, {1, 2, 3}},
		},
		{
			name:    "stories are isolated",
			stories: []int64{1, 2, 3},
			publish: []masthead.CommentEvent{ev(1, 1), ev(2, 2), ev(1, 3), ev(2, 4), ev(4, 5)},
			want:    [][]int64{{1, 3}, {2, 4}, nil},
		},
		{
			name:    "order is preserved",
			stories: []int64{1, 1},
			publish: ordered,
			want:    [][]int64{orderedIDs, orderedIDs},
		},
		{
			name:    "repeated and older IDs are dropped",
			stories: []int64{1},
			publish: []masthead.CommentEvent{ev(1, 1), ev(1, 2), ev(1, 2), ev(1, 1), ev(1, 3), ev(1, 3), ev(1, 2), ev(1, 4)},
			want:    [][]int64{{1, 2, 3, 4}},
		},
		{
			name:    "dedupe is per story",
			stories: []int64{1, 2},
			publish: []masthead.CommentEvent{ev(1, 5), ev(2, 3), ev(2, 4), ev(1, 5), ev(2, 3), ev(1, 6)},
			want:    [][]int64{{5, 6}, {3, 4}},
		},
		{
			name:    "repeats far apart are dropped",
			stories: []int64{1},
			publish: []masthead.CommentEvent{ev(1, 1), ev(1, 63), ev(1, 1), ev(1, 64), ev(1, 1), ev(1, 200), ev(1, 64), ev(1, 1)},
			want:    [][]int64{{1, 63, 64, 200}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBroker(Options{})
			defer b.Close()
			subs := make([]*Subscription, len(tt.stories))
			for i, story := range tt.stories {
				subs[i] = b.Subscribe(story)
			}
			if got, want := b.Subscribers(), len(subs); got != want {
				t.Errorf("Subscribers() = %d, want %d", got, want)
			}
			for _, e := range tt.publish {
				b.Publish(e)
			}
			for i, s := range subs {
				got, closed := drain(s)
				if !reflect.DeepEqual(got, tt.want[i]) {
					t.Errorf("subscriber %d (story %d) got %v, want %v", i, tt.stories[i], got, tt.want[i])
				}
				if closed || s.Lagged() {
					t.Errorf("subscriber %d: closed %v, lagged %v; want open, not lagged", i, closed, s.Lagged())
				}
			}
		})
	}
}

func TestBrokerLateEvent(t *testing.T) {
	tests := []struct {
		name       string
		publish    []masthead.CommentEvent
		want       []int64
		wantLagged bool
	}{
		{"late event ends the story's subscriptions", []masthead.CommentEvent{ev(1, 10), ev(1, 12), ev(1, 11)}, []int64{10, 12}, true},
		{"late after a gap", []masthead.CommentEvent{ev(1, 10), ev(1, 70), ev(1, 20)}, []int64{10, 70}, true},
		{"older than the window is taken as a repeat", []masthead.CommentEvent{ev(1, 10), ev(1, 200), ev(1, 20)}, []int64{10, 200}, false},
		{"repeats are not late", []masthead.CommentEvent{ev(1, 10), ev(1, 11), ev(1, 10), ev(1, 11)}, []int64{10, 11}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBroker(Options{})
			defer b.Close()
			s, other := b.Subscribe(1), b.Subscribe(2)
			for _, e := range tt.publish {
				b.Publish(e)
			}
			got, closed := drain(s)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if s.Lagged() != tt.wantLagged || closed != tt.wantLagged {
				t.Errorf("lagged %v, closed %v; want both %v", s.Lagged(), closed, tt.wantLagged)
			}
			if other.Lagged() {
				t.Error("another story's subscriber lagged")
			}
			// The late event is not delivered later either.
			again := b.Subscribe(1)
			for _, e := range tt.publish {
				b.Publish(e)
			}
			if got, closed := drain(again); len(got) != 0 || closed {
				t.Errorf("republished: got %v (closed %v), want nothing", got, closed)
			}
		})
	}
}

func TestBrokerEventsIntact(t *testing.T) {
	b := NewBroker(Options{})
	defer b.Close()
	s := b.Subscribe(9)
	want := masthead.CommentEvent{ID: 3, StoryID: 9, Kind: "edited", CommentID: 77, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	b.Publish(want)
	if got := <-s.C(); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestBrokerSlowSubscriber(t *testing.T) {
	const buffer, events = 16, 10_000
	b := NewBroker(Options{Buffer: buffer})
	defer b.Close()
	stalled := b.Subscribe(1)
	other := b.Subscribe(2) // another story's subscriber is unaffected

	done := make(chan struct{})
	go func() {
		defer close(done)
		for id := int64(1); id <= events; id++ {
			b.Publish(ev(1, id))
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // a hang guard, not a timing threshold
		t.Fatal("Publish blocked on a stalled subscriber")
	}

	if !stalled.Lagged() {
		t.Error("stalled subscriber: Lagged() = false, want true")
	}
	got, closed := drain(stalled)
	if len(got) != buffer || got[0] != 1 || got[buffer-1] != buffer {
		t.Errorf("stalled subscriber received %v, want events 1..%d", got, buffer)
	}
	if !closed {
		t.Error("stalled subscriber: C not closed after its buffer")
	}
	if got, want := b.Subscribers(), 1; got != want {
		t.Errorf("Subscribers() = %d, want %d", got, want)
	}
	if other.Lagged() {
		t.Error("other story's subscriber lagged")
	}

	// A fresh subscriber (the lagged client resuming) gets later events.
	again := b.Subscribe(1)
	b.Publish(ev(1, events+1))
	if got, _ := drain(again); !reflect.DeepEqual(got, []int64{events + 1}) {
		t.Errorf("resubscribed: got %v, want [%d]", got, events+1)
	}
}

func TestBrokerKeepingUpIsNotLagged(t *testing.T) {
	b := NewBroker(Options{Buffer: 1})
	defer b.Close()
	s := b.Subscribe(1)
	for id := int64(1); id <= 100; id++ {
		b.Publish(ev(1, id))
		if got := <-s.C(); got.ID != id {
			t.Fatalf("got event %d, want %d", got.ID, id)
		}
	}
	if s.Lagged() {
		t.Error("Lagged() = true for a subscriber that kept up")
	}
}

func TestBrokerClose(t *testing.T) {
	tests := []struct {
		name string
		end  func(b *Broker, subs []*Subscription)
		// which subscriptions should have ended
		ended []bool
		count int
	}{
		{
			name:  "broker Close ends every subscription",
			end:   func(b *Broker, _ []*Subscription) { b.Close() },
			ended: []bool{true, true, true},
			count: 0,
		},
		{
			name:  "subscription Close ends only that one",
			end:   func(_ *Broker, subs []*Subscription) { subs[1].Close() },
			ended: []bool{false, true, false},
			count: 2,
		},
		{
			name: "Close twice, then broker Close",
			end: func(b *Broker, subs []*Subscription) {
				subs[0].Close()
				subs[0].Close()
				b.Close()
				b.Close()
				subs[2].Close()
			},
			ended: []bool{true, true, true},
			count: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			b := NewBroker(Options{})
			subs := []*Subscription{b.Subscribe(1), b.Subscribe(1), b.Subscribe(2)}
			b.Publish(ev(1, 1))
			tt.end(b, subs)
			for i, s := range subs {
				ids, closed := drain(s)
				if closed != tt.ended[i] {
					t.Errorf("subscription %d: closed %v, want %v", i, closed, tt.ended[i])
				}
				if s.story() == 1 && len(ids) != 1 {
					t.Errorf("subscription %d: buffered events %v, want [1] still readable", i, ids)
				}
				if s.Lagged() {
					t.Errorf("subscription %d: Lagged() = true, want false", i)
				}
			}
			if got := b.Subscribers(); got != tt.count {
				t.Errorf("Subscribers() = %d, want %d", got, tt.count)
			}
			b.Close()
			waitGoroutines(t, before)
		})
	}
}

// story returns the subscription's story, for tests.
func (s *Subscription) story() int64 { return s.storyID }

func TestBrokerAfterClose(t *testing.T) {
	b := NewBroker(Options{})
	b.Close()
	s := b.Subscribe(1)
	b.Publish(ev(1, 1)) // must not panic
	if _, ok := <-s.C(); ok {
		t.Error("Subscribe after Close: C delivered an event, want closed")
	}
	s.Close()
	if got := b.Subscribers(); got != 0 {
		t.Errorf("Subscribers() = %d, want 0", got)
	}
}

// TestBrokerConcurrent exercises the broker from many goroutines; it finds
// its bugs under -race.
func TestBrokerConcurrent(t *testing.T) {
	before := runtime.NumGoroutine()
	b := NewBroker(Options{Buffer: 8})
	var wg sync.WaitGroup
	for story := int64(1); story <= 4; story++ {
		wg.Go(func() {
			for id := int64(1); id <= 2000; id++ {
				b.Publish(ev(story, id))
			}
		})
		for range 8 {
			wg.Go(func() {
				for range 50 {
					s := b.Subscribe(story)
					last := int64(0)
					for i := 0; i < 5; i++ {
						e, ok := <-s.C()
						if !ok {
							break
						}
						if e.ID <= last {
							t.Errorf("story %d: event %d after %d", story, e.ID, last)
						}
						last = e.ID
					}
					_ = b.Subscribers()
					s.Close()
				}
			})
		}
	}
	// End any reader still waiting once the publishers are done.
	go func() { time.Sleep(100 * time.Millisecond); b.Close() }()
	wg.Wait()
	b.Close()
	if got := b.Subscribers(); got != 0 {
		t.Errorf("Subscribers() = %d, want 0", got)
	}
	waitGoroutines(t, before)
}

func TestBrokerResync(t *testing.T) {
	errDown := errors.New("database down")
	tests := []struct {
		name       string
		published  []masthead.CommentEvent // before the resync
		stored     []masthead.CommentEvent // what fetch finds, story 1
		fetchErr   error
		wantIDs    []int64 // received after the resync
		wantLagged bool
		wantErr    error
	}{
		{
			name:      "missed events are replayed after the last published",
			published: []masthead.CommentEvent{ev(1, 1), ev(1, 2)},
			stored:    []masthead.CommentEvent{ev(1, 1), ev(1, 2), ev(1, 3), ev(1, 4)},
			wantIDs:   []int64{1, 2, 3, 4},
		},
		{
			name:      "nothing missed",
			published: []masthead.CommentEvent{ev(1, 1)},
			stored:    []masthead.CommentEvent{ev(1, 1)},
			wantIDs:   []int64{1},
		},
		{
			name:       "nothing published yet: lagged",
			stored:     []masthead.CommentEvent{ev(1, 1)},
			wantLagged: true,
		},
		{
			name:       "more missed than the buffer holds: lagged",
			published:  []masthead.CommentEvent{ev(1, 1)},
			stored:     []masthead.CommentEvent{ev(1, 1), ev(1, 2), ev(1, 3), ev(1, 4), ev(1, 5), ev(1, 6)},
			wantIDs:    []int64{1},
			wantLagged: true,
		},
		{
			name:      "fetch error is returned",
			published: []masthead.CommentEvent{ev(1, 1)},
			fetchErr:  errDown,
			wantIDs:   []int64{1},
			wantErr:   errDown,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBroker(Options{Buffer: 4})
			defer b.Close()
			s := b.Subscribe(1)
			for _, e := range tt.published {
				b.Publish(e)
			}
			var fetched []int64 // story IDs fetched
			fetch := func(_ context.Context, storyID, afterID int64, limit int) ([]masthead.CommentEvent, error) {
				fetched = append(fetched, storyID)
				if tt.fetchErr != nil {
					return nil, tt.fetchErr
				}
				var out []masthead.CommentEvent
				for _, e := range tt.stored {
					if e.StoryID == storyID && e.ID > afterID && len(out) < limit {
						out = append(out, e)
					}
				}
				return out, nil
			}
			err := b.Resync(context.Background(), fetch)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Resync() error = %v, want %v", err, tt.wantErr)
			}
			got, closed := drain(s)
			if !reflect.DeepEqual(got, tt.wantIDs) {
				t.Errorf("received %v, want %v", got, tt.wantIDs)
			}
			if s.Lagged() != tt.wantLagged || closed != tt.wantLagged {
				t.Errorf("lagged %v, closed %v; want both %v", s.Lagged(), closed, tt.wantLagged)
			}
			if tt.published != nil && !reflect.DeepEqual(fetched, []int64{1}) {
				t.Errorf("fetched stories %v, want [1] (only stories with subscribers)", fetched)
			}
		})
	}
}

func TestPayload(t *testing.T) {
	tests := []struct {
		name string
		ev   masthead.CommentEvent
	}{
		{"posted", ev(1, 1)},
		{"edited", masthead.CommentEvent{ID: 1 << 60, StoryID: 42, Kind: "edited", CommentID: 7, At: time.Date(2026, 5, 6, 7, 8, 9, 123456789, time.UTC)}},
		{"removed", masthead.CommentEvent{ID: 9, StoryID: 3, Kind: "removed", CommentID: 8, At: time.Date(2026, 5, 6, 7, 8, 9, 0, time.FixedZone("JST", 9*3600))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Payload(tt.ev)
			if err != nil {
				t.Fatalf("Payload: %v", err)
			}
			// The payload is exactly the domain type's JSON, so storage that
			// cannot import this package can build it with json.Marshal.
			want, _ := json.Marshal(tt.ev)
			if p != string(want) {
				t.Errorf("Payload = %s, want %s", p, want)
			}
			var got masthead.CommentEvent
			if err := json.Unmarshal([]byte(p), &got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got.ID != tt.ev.ID || got.StoryID != tt.ev.StoryID || got.Kind != tt.ev.Kind || got.CommentID != tt.ev.CommentID || !got.At.Equal(tt.ev.At) {
				t.Errorf("round trip: got %+v, want %+v", got, tt.ev)
			}
		})
	}
}
