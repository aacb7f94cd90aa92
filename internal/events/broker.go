// Package events fans live comment events out to the streams watching a
// story: an in-process Broker for one instance (SQLite), and Listen, which
// feeds a Broker from PostgreSQL LISTEN/NOTIFY so that instances sharing a
// PostgreSQL database hear each other's events.
//
// A subscriber never holds up a publisher: one that falls a buffer behind
// is marked lagged and closed, and resumes from storage by event ID
// (masthead.CommentService.CommentEvents), just as an SSE client does after
// a dropped connection with Last-Event-ID. The broker starts no goroutines.
//
// The broker keeps, per story, the ID of the last event it published and
// drops any event whose ID is not greater, so a repeated event (on
// PostgreSQL an instance hears its own NOTIFY too) is delivered once. The
// events of one story must therefore reach Publish in ID order. When one
// arrives late — older than the last, yet provably never published (the
// broker remembers which of the 64 IDs up to the last it published) — it is
// still not delivered, but the story's subscriptions end as lagged, so that
// their clients resume from storage and lose nothing.
package events

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"masthead"
)

// DefaultBuffer is the per-subscriber buffer used when Options.Buffer is 0.
const DefaultBuffer = 64

// Options configures a Broker.
type Options struct {
	// Buffer is how many events a subscriber may fall behind before it is
	// lagged and closed. Zero or less means DefaultBuffer.
	Buffer int
	// Logger receives lag notices. Nil discards them.
	Logger *slog.Logger
}

// Broker fans comment events out to the subscribers of a story, in
// process. It is safe for concurrent use. The zero value is not usable;
// call NewBroker.
type Broker struct {
	buffer int
	logger *slog.Logger

	mu     sync.Mutex
	closed bool
	subs   map[int64]map[*Subscription]struct{} // by story ID
	seen   map[int64]seen                       // by story ID
	count  int                                  // open subscriptions
}

// NewBroker returns a Broker configured by opts.
func NewBroker(opts Options) *Broker {
	if opts.Buffer <= 0 {
		opts.Buffer = DefaultBuffer
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Broker{
		buffer: opts.Buffer,
		logger: opts.Logger,
		subs:   make(map[int64]map[*Subscription]struct{}),
		seen:   make(map[int64]seen),
	}
}

// Subscription receives the events of one story. Read them from C.
type Subscription struct {
	b       *Broker
	storyID int64
	ch      chan masthead.CommentEvent
	closed  bool // guarded by b.mu
	lagged  atomic.Bool
}

// C returns the channel the subscription's events arrive on. It is closed
// when the subscription ends: by Close, by falling behind (see Lagged), or
// by the broker's Close. Events already buffered are still received before
// the channel reports closed.
func (s *Subscription) C() <-chan masthead.CommentEvent { return s.ch }

// Lagged reports whether the subscription ended because its buffer was
// full. A lagged subscriber has missed events and must resume from storage
// after the last event ID it received.
func (s *Subscription) Lagged() bool { return s.lagged.Load() }

// Close ends the subscription and closes C. It may be called more than
// once, and after the subscription has ended otherwise.
func (s *Subscription) Close() {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.remove(s)
}

// Subscribe returns a subscription to the events of the story storyID
// published from now on. After Close it returns a subscription that has
// already ended.
func (b *Broker) Subscribe(storyID int64) *Subscription {
	s := &Subscription{b: b, storyID: storyID, ch: make(chan masthead.CommentEvent, b.buffer)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.closed = true
		close(s.ch)
		return s
	}
	m := b.subs[storyID]
	if m == nil {
		m = make(map[*Subscription]struct{})
		b.subs[storyID] = m
	}
	m[s] = struct{}{}
	b.count++
	return s
}

// Publish delivers ev to the subscribers of ev.StoryID without blocking. A
// subscriber whose buffer is full is marked lagged and closed. An event
// whose ID is not greater than that of the last event published for the
// same story is dropped, so publishing an event twice delivers it once; if
// it is late rather than repeated, the story's subscribers are lagged (see
// the package documentation). Publish does nothing after Close.
func (b *Broker) Publish(ev masthead.CommentEvent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	sn, ok := b.seen[ev.StoryID]
	if ok && ev.ID <= sn.last {
		if d := sn.last - ev.ID; d < 64 && sn.mask&(1<<d) == 0 {
			b.logger.Warn("events: event published out of order; ending the story's subscriptions", "story_id", ev.StoryID, "event_id", ev.ID, "last_event_id", sn.last)
			for s := range b.subs[ev.StoryID] {
				b.lag(s)
			}
			sn.mask |= 1 << d
			b.seen[ev.StoryID] = sn
		}
		return
	}
	b.seen[ev.StoryID] = sn.add(ev.ID)
	for s := range b.subs[ev.StoryID] {
		select {
		case s.ch <- ev:
		default:
			b.lag(s)
		}
	}
}

// Subscribers returns the number of open subscriptions, for metrics.
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.count
}

// Close ends every subscription (so that server shutdown ends every SSE
// stream) and makes later Subscribe and Publish calls no-ops. It may be
// called more than once.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for _, m := range b.subs {
		for s := range m {
			b.remove(s)
		}
	}
}

// Fetch returns a story's events after an event ID, oldest first, at most
// limit; masthead.CommentService.CommentEvents has this signature.
type Fetch func(ctx context.Context, storyID, afterID int64, limit int) ([]masthead.CommentEvent, error)

// Resync replays, from fetch, the events the broker may have missed for
// every story that has subscribers: those after the last event it
// published for the story. It is the usual body of Listen's resync hook:
//
//	resync := func(ctx context.Context) error { return b.Resync(ctx, comments.CommentEvents) }
//
// Where it cannot replay exactly — the broker has published nothing for
// the story yet, or more events were missed than a subscriber's buffer
// holds — it ends the story's subscriptions as lagged instead, and their
// clients resume from storage themselves. Nothing else should publish
// while Resync runs (Listen publishes nothing while its hook runs), or a
// replayed event may be dropped as older than one published meanwhile.
func (b *Broker) Resync(ctx context.Context, fetch Fetch) error {
	type watch struct {
		storyID, lastID int64
		known           bool
	}
	b.mu.Lock()
	watches := make([]watch, 0, len(b.subs))
	for id := range b.subs {
		sn, ok := b.seen[id]
		watches = append(watches, watch{id, sn.last, ok})
	}
	b.mu.Unlock()

	for _, w := range watches {
		if !w.known {
			b.lagStory(w.storyID)
			continue
		}
		evs, err := fetch(ctx, w.storyID, w.lastID, b.buffer+1)
		if err != nil {
			return fmt.Errorf("events: resync story %d: %w", w.storyID, err)
		}
		if len(evs) > b.buffer {
			b.lagStory(w.storyID)
			continue
		}
		for _, ev := range evs {
			b.Publish(ev)
		}
	}
	return nil
}

// seen records the event IDs published for a story: the last, and which
// of the 64 IDs up to it (bit d for last-d).
type seen struct {
	last int64
	mask uint64
}

// add returns sn with id, greater than sn.last, published.
func (sn seen) add(id int64) seen {
	if d := id - sn.last; d < 64 && sn.mask != 0 {
		sn.mask <<= d
	} else {
		sn.mask = 0
	}
	return seen{last: id, mask: sn.mask | 1}
}

// lagStory ends the subscriptions of a story as lagged.
func (b *Broker) lagStory(storyID int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs[storyID] {
		b.lag(s)
	}
}

// lagAll ends every subscription as lagged, for when events may have been
// missed and cannot be replayed.
func (b *Broker) lagAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.subs {
		for s := range m {
			b.lag(s)
		}
	}
}

// lag marks s lagged and ends it. b.mu must be held.
func (b *Broker) lag(s *Subscription) {
	s.lagged.Store(true)
	b.remove(s)
	b.logger.Info("events: subscriber lagged", "story_id", s.storyID)
}

// remove ends s if it has not ended. b.mu must be held.
func (b *Broker) remove(s *Subscription) {
	if s.closed {
		return
	}
	s.closed = true
	close(s.ch)
	b.count--
	m := b.subs[s.storyID]
	delete(m, s)
	if len(m) == 0 {
		delete(b.subs, s.storyID)
	}
}
