package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"masthead"
)

// LiveFeed delivers a story's comment events as they happen, for the live
// comment stream. internal/events' Broker, behind a small adapter in
// cmd/masthead, implements it.
type LiveFeed interface {
	// Subscribe returns a subscription to the events of the story storyID
	// published from now on.
	Subscribe(storyID int64) LiveSubscription
}

// LiveSubscription receives the events of one story.
type LiveSubscription interface {
	// C returns the channel the events arrive on. It is closed when the
	// subscription ends: by Close, by falling behind (see Lagged), or by
	// the feed shutting down.
	C() <-chan masthead.CommentEvent
	// Lagged reports whether the subscription ended because it fell
	// behind: its reader has missed events and must resume from storage.
	Lagged() bool
	// Close ends the subscription; it may be called more than once.
	Close()
}

// Defaults of the live comment stream's settings.
const (
	// DefaultLiveMaxPerIP is the default Config.LiveMaxPerIP.
	DefaultLiveMaxPerIP = 8
	// DefaultLiveMaxTotal is the default Config.LiveMaxTotal.
	DefaultLiveMaxTotal = 1000
	// DefaultLiveHeartbeat is the default Config.LiveHeartbeat.
	DefaultLiveHeartbeat = 25 * time.Second
)

const (
	// liveReplayLimit is the most events a stream replays after
	// Last-Event-ID; when there are more, it sends what it read and asks
	// the client to resync, which resumes after the last of them.
	liveReplayLimit = 500
	// liveCursorPage is the page size in which a story's latest event ID
	// is looked up (the most the storage returns at once).
	liveCursorPage = 1000
	// liveWriteGrace is how long a write may take beyond the heartbeat
	// interval before the stream's connection is given up on.
	liveWriteGrace = 30 * time.Second
	// liveRetry is the reconnection delay the stream asks clients for.
	liveRetry = 3 * time.Second
)

// liveStreams holds the live comment streams' limits and state.
type liveStreams struct {
	feed      LiveFeed
	maxPerIP  int
	maxTotal  int
	heartbeat time.Duration

	// done is closed by Server.Shutdown; every stream ends when it is.
	done     chan struct{}
	doneOnce sync.Once

	mu    sync.Mutex
	total int
	perIP map[string]int

	// last is the highest event ID known per story ID, so that a story
	// page finds its latest event ID reading only the events since.
	lastMu sync.Mutex
	last   map[int64]int64
}

// newLiveStreams returns the streams' state for cfg, whose zero limits
// have been given their defaults; nil when cfg has no live feed.
func newLiveStreams(cfg Config) *liveStreams {
	if cfg.Live == nil || cfg.Comments == nil {
		return nil
	}
	return &liveStreams{
		feed:      cfg.Live,
		maxPerIP:  cfg.LiveMaxPerIP,
		maxTotal:  cfg.LiveMaxTotal,
		heartbeat: cfg.LiveHeartbeat,
		done:      make(chan struct{}),
		perIP:     make(map[string]int),
		last:      make(map[int64]int64),
	}
}

// Shutdown ends every live comment stream and makes new ones answer 503,
// so that http.Server.Shutdown, which waits for handlers, can finish. Call
// it before http.Server.Shutdown. It may be called more than once.
func (s *Server) Shutdown() {
	if s.live != nil {
		s.live.doneOnce.Do(func() { close(s.live.done) })
	}
}

// acquire takes a stream slot for the client key, reporting false when
// the client or the server is at its limit.
func (l *liveStreams) acquire(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.total >= l.maxTotal || l.perIP[key] >= l.maxPerIP {
		return false
	}
	l.total++
	l.perIP[key]++
	return true
}

// release gives back the slot acquire took.
func (l *liveStreams) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.perIP[key]--; l.perIP[key] <= 0 {
		delete(l.perIP, key)
	}
}

// note records id as an event of the story.
func (l *liveStreams) note(storyID, id int64) {
	l.lastMu.Lock()
	if id > l.last[storyID] {
		l.last[storyID] = id
	}
	l.lastMu.Unlock()
}

// lastEventID returns the ID of the story's latest comment event (0 for
// none), reading from storage only the events after the highest ID known.
func (l *liveStreams) lastEventID(ctx context.Context, comments masthead.CommentService, storyID int64) (int64, error) {
	l.lastMu.Lock()
	last := l.last[storyID]
	l.lastMu.Unlock()
	for {
		evs, err := comments.CommentEvents(ctx, storyID, last, liveCursorPage)
		if err != nil {
			return 0, err
		}
		if len(evs) > 0 {
			last = max(last, evs[len(evs)-1].ID)
		}
		if len(evs) < liveCursorPage {
			break
		}
	}
	l.note(storyID, last)
	return last, nil
}

// liveClientKey is the key a client's streams are counted under: its
// address, or for IPv6 its /64 network, which one subscriber usually has
// to themselves.
func liveClientKey(ip netip.Addr) string {
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// lastEventIDOf reads the ID a client resumes after, from the Last-Event-ID
// header that EventSource sends when it reconnects, or from
// ?last_event_id= (the page's starting point, or a script reopening the
// stream). ok false means the value is malformed.
func lastEventIDOf(r *http.Request) (id int64, set, ok bool) {
	v := strings.TrimSpace(r.Header.Get("Last-Event-ID"))
	if v == "" {
		v = r.URL.Query().Get("last_event_id")
	}
	if v == "" {
		return 0, false, true
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, false, false
	}
	return id, true, true
}

// sseValue and friends are the live stream's response headers.
var (
	sseValue        = []string{"text/event-stream; charset=utf-8"}
	noBufferValue   = []string{"no"}
	retryAfterValue = []string{"5"}
)

// handleCommentsLive streams a story's comment events as Server-Sent
// Events: after Last-Event-ID (or ?last_event_id=) it first replays the
// events since from storage, then sends those published from now on, each
// once, in ID order, with a heartbeat comment every Config.LiveHeartbeat.
// A stream that falls behind sends a "resync" event and ends, so that the
// client reconnects and resumes from storage. Streams end when the client
// goes, when the feed closes and on Server.Shutdown; there are at most
// Config.LiveMaxPerIP per client and Config.LiveMaxTotal in all (429
// beyond).
func (s *Server) handleCommentsLive(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l := s.live
	select {
	case <-l.done:
		w.Header()["Retry-After"] = retryAfterValue
		http.Error(w, s.msg("comments.live.unavailable"), http.StatusServiceUnavailable)
		return
	default:
	}
	st, err := s.cache.findStory(ctx, r.PathValue("slug"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	lastID, resume, ok := lastEventIDOf(r)
	if !ok {
		s.Error(w, r, masthead.FieldError("last_event_id", s.msg("comments.live.bad_last_event_id")))
		return
	}
	key := liveClientKey(s.clientIP(r))
	if !l.acquire(key) {
		w.Header()["Retry-After"] = retryAfterValue
		s.Error(w, r, masthead.Errorf(masthead.ERATELIMIT, "%s", s.msg("comments.live.too_many")))
		return
	}
	defer l.release(key)

	// Subscribe before reading storage, so that no event falls between
	// the replay and the live events; those in both are sent once.
	sub := l.feed.Subscribe(st.ID)
	defer sub.Close()
	var replay []masthead.CommentEvent
	if resume {
		if replay, err = s.comments.CommentEvents(ctx, st.ID, lastID, liveReplayLimit); err != nil {
			s.Error(w, r, err)
			return
		}
	}

	h := w.Header()
	h["Content-Type"] = sseValue
	h["Cache-Control"] = noStoreValue
	h["X-Accel-Buffering"] = noBufferValue
	w.WriteHeader(http.StatusOK)
	sw := &sseWriter{w: w, rc: http.NewResponseController(w), timeout: l.heartbeat + liveWriteGrace}
	// The server's WriteTimeout would cut the stream off: each write gets
	// its own deadline instead.
	_ = sw.rc.SetWriteDeadline(time.Time{})
	if sw.retry(liveRetry) != nil {
		return
	}
	send := func(ev masthead.CommentEvent) error {
		if ev.ID <= lastID {
			return nil
		}
		lastID = ev.ID
		l.note(st.ID, ev.ID)
		return sw.event(ev)
	}
	for _, ev := range replay {
		if send(ev) != nil {
			return
		}
	}
	if len(replay) >= liveReplayLimit {
		// More were missed than one replay sends: the client resumes
		// after the last of these.
		sw.resync()
		return
	}

	heartbeat := time.NewTicker(l.heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.done:
			return
		case ev, open := <-sub.C():
			if !open {
				if sub.Lagged() {
					sw.resync()
				}
				return
			}
			if send(ev) != nil {
				return
			}
		case <-heartbeat.C:
			if sw.write(": ping\n\n") != nil {
				return
			}
		}
	}
}

// sseWriter writes Server-Sent Events, flushing each and giving each
// write its own deadline.
type sseWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	buf     []byte
}

// write sends text and flushes it.
func (sw *sseWriter) write(text string) error {
	_ = sw.rc.SetWriteDeadline(time.Now().Add(sw.timeout))
	if _, err := sw.w.Write([]byte(text)); err != nil {
		return err
	}
	return sw.rc.Flush()
}

// retry sends the reconnection delay.
func (sw *sseWriter) retry(d time.Duration) error {
	return sw.write("retry: " + strconv.FormatInt(d.Milliseconds(), 10) + "\n\n")
}

// event sends ev as an event named by its kind, with its ID, so that a
// reconnecting client resumes after it.
func (sw *sseWriter) event(ev masthead.CommentEvent) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	b := sw.buf[:0]
	b = append(b, "id: "...)
	b = strconv.AppendInt(b, ev.ID, 10)
	b = append(b, "\nevent: "...)
	b = append(b, sseField(ev.Kind)...)
	b = append(b, "\ndata: "...)
	b = append(b, data...) // JSON has no raw newlines
	b = append(b, "\n\n"...)
	sw.buf = b
	_ = sw.rc.SetWriteDeadline(time.Now().Add(sw.timeout))
	if _, err := sw.w.Write(b); err != nil {
		return err
	}
	return sw.rc.Flush()
}

// resync tells the client it missed events: it should reconnect and
// resume after the last event ID it received. The event carries data,
// since EventSource drops events without any, and no ID, which would
// change the client's last event ID.
func (sw *sseWriter) resync() error {
	return sw.write("event: resync\ndata: {}\n\n")
}

// sseField keeps a value to one line of an event stream.
func sseField(v string) string {
	if strings.ContainsAny(v, "\r\n") {
		return strings.NewReplacer("\r", "", "\n", "").Replace(v)
	}
	return v
}
