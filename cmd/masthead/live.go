package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"masthead/internal/events"
	"masthead/internal/sqldb"
	"masthead/internal/web"
)

// liveFlags are the settings of the live comment stream
// (GET /stories/{slug}/comments/live).
type liveFlags struct {
	maxPerIP  int
	maxTotal  int
	heartbeat time.Duration
}

// addLiveFlags defines the live stream's settings in f.
func addLiveFlags(f *flags, c *liveFlags) {
	f.IntVar(&c.maxPerIP, "live-max-per-ip", web.DefaultLiveMaxPerIP, "live comment streams one client address (an IPv6 /64) may hold open; more get 429")
	f.bindEnv("live-max-per-ip", "MASTHEAD_LIVE_MAX_PER_IP")
	f.IntVar(&c.maxTotal, "live-max-total", web.DefaultLiveMaxTotal, "live comment streams open at once; more get 429")
	f.bindEnv("live-max-total", "MASTHEAD_LIVE_MAX_TOTAL")
	f.DurationVar(&c.heartbeat, "live-heartbeat", web.DefaultLiveHeartbeat, "how often an idle live comment stream sends a heartbeat")
	f.bindEnv("live-heartbeat", "MASTHEAD_LIVE_HEARTBEAT")
}

// validate checks the live stream's settings.
func (c *liveFlags) validate() error {
	if c.maxPerIP < 1 || c.maxTotal < 1 {
		return fmt.Errorf("--live-max-per-ip and --live-max-total must be at least 1, not %d and %d", c.maxPerIP, c.maxTotal)
	}
	if c.heartbeat < time.Second {
		return fmt.Errorf("--live-heartbeat must be at least 1s, not %v", c.heartbeat)
	}
	return nil
}

// brokerFeed is the live feed of the web server: an events.Broker, whose
// subscriptions are already what web.LiveSubscription asks for.
type brokerFeed struct{ b *events.Broker }

// Subscribe subscribes to the story's events in the broker.
func (f brokerFeed) Subscribe(storyID int64) web.LiveSubscription { return f.b.Subscribe(storyID) }

var _ web.LiveFeed = brokerFeed{}

// startLive returns the broker that fans comment events out to the live
// streams, with its publisher in place. On SQLite the comment service
// publishes each event after its transaction commits (OnEvent). On
// PostgreSQL every instance sharing the database hears every event through
// LISTEN/NOTIFY, in commit order, its own included: Listen, run in
// background until ctx ends, is then the only publisher, and after each
// (re)connection replays what it may have missed from storage.
func startLive(ctx context.Context, background *sync.WaitGroup, db *sqldb.DB, databaseURL string, comments *sqldb.CommentService, reg *prometheus.Registry, logger *slog.Logger) (*events.Broker, error) {
	broker := events.NewBroker(events.Options{Logger: logger})
	err := reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "masthead_live_subscriptions",
		Help: "Open subscriptions to live comment events (one per live comment stream).",
	}, func() float64 { return float64(broker.Subscribers()) }))
	if err != nil {
		return nil, fmt.Errorf("live: metrics: %w", err)
	}
	if db.Dialect() != sqldb.DialectPostgres {
		comments.OnEvent = broker.Publish
		return broker, nil
	}
	resync := func(ctx context.Context) error { return broker.Resync(ctx, comments.CommentEvents) }
	background.Go(func() {
		if err := events.Listen(ctx, databaseURL, broker, logger, resync); err != nil {
			logger.Error("live comment events: listener stopped", "err", err)
		}
	})
	return broker, nil
}
