package events

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"masthead"
)

// Channel is the PostgreSQL NOTIFY channel that storage notifies on, with
// Payload(ev) as the payload, inside the transaction that writes ev:
//
//	SELECT pg_notify($1, $2)   -- $1 = Channel, $2 = Payload(ev)
//
// PostgreSQL delivers a notification only if that transaction commits, and
// delivers the notifications of different transactions in commit order.
const Channel = "masthead_comment_events"

// NotifySQL is the statement storage runs to notify, with Channel and the
// payload as its arguments.
const NotifySQL = `SELECT pg_notify($1, $2)`

// ApplicationName is the application_name Listen's connection reports to
// the server (in pg_stat_activity), unless the URL sets one.
const ApplicationName = "masthead-events"

// maxPayload is PostgreSQL's limit on a NOTIFY payload, in bytes (the
// limit is "shorter than 8000 bytes").
const maxPayload = 8000

// Reconnection back-off and connection health checks.
const (
	minBackoff     = 100 * time.Millisecond
	maxBackoff     = 10 * time.Second
	healthInterval = 30 * time.Second // ping after this long without a notification
	pingTimeout    = 10 * time.Second
)

// Payload returns the NOTIFY payload for ev: its JSON encoding, which
// Listen decodes. Storage uses it so both ends agree on the format.
func Payload(ev masthead.CommentEvent) (string, error) {
	p, err := json.Marshal(ev)
	if err != nil {
		return "", fmt.Errorf("events: payload: %w", err)
	}
	if len(p) >= maxPayload {
		return "", fmt.Errorf("events: payload: %d bytes, PostgreSQL allows fewer than %d", len(p), maxPayload)
	}
	return string(p), nil
}

// Listen LISTENs on Channel on its own connection to the PostgreSQL
// database at url, and publishes every notification's event into b, until
// ctx ends. After a lost connection it logs and reconnects with
// exponential back-off (from 100ms up to 10s, with jitter); a connection
// that hears nothing for 30 seconds is pinged, so a dead one is noticed.
//
// Each time LISTEN is in place — at first and after every reconnection —
// Listen calls resync(ctx), before it publishes any notification, so that
// events committed while it was not listening reach b (Broker.Resync is the
// usual body). When resync fails, or is nil and LISTEN follows a lost
// connection, Listen instead ends every subscription of b as lagged, and
// their clients resume from storage.
//
// Listen returns nil once ctx ends, and an error only when url is not a
// valid connection string. The URL must reach PostgreSQL directly or
// through a pooler in session mode: LISTEN does not work through a
// transaction-mode pooler.
func Listen(ctx context.Context, url string, b *Broker, logger *slog.Logger, resync func(ctx context.Context) error) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("events: listen: %w", err)
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = ApplicationName
	}
	delay := minBackoff
	for reconnect := false; ; reconnect = true {
		listened, err := listenOnce(ctx, cfg, b, logger, resync, reconnect)
		if ctx.Err() != nil {
			return nil
		}
		if listened {
			delay = minBackoff
		}
		// Wait between delay/2 and delay, so instances spread out.
		wait := delay/2 + rand.N(delay/2+1)
		logger.Warn("events: listener connection lost; reconnecting", "err", err, "in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		if !listened {
			delay = min(2*delay, maxBackoff)
		}
	}
}

// listenOnce connects, LISTENs, resyncs and publishes notifications until
// the connection fails or ctx ends; reconnect says whether an earlier
// connection was lost. It reports whether LISTEN was in place, and why it
// stopped.
func listenOnce(ctx context.Context, cfg *pgx.ConnConfig, b *Broker, logger *slog.Logger, resync func(ctx context.Context) error, reconnect bool) (listened bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		conn.Close(ctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		return false, fmt.Errorf("listen: %w", err)
	}
	logger.Info("events: listening", "channel", Channel, "backend_pid", conn.PgConn().PID())

	if resync == nil {
		if reconnect {
			b.lagAll()
		}
	} else if err := resync(ctx); err != nil {
		if ctx.Err() != nil {
			return true, ctx.Err()
		}
		logger.Error("events: resync failed; ending live subscriptions so that clients resume from storage", "err", err)
		b.lagAll()
	}

	for {
		wctx, cancel := context.WithTimeout(ctx, healthInterval)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return true, ctx.Err()
			}
			if pgconn.Timeout(err) && !conn.IsClosed() {
				pctx, cancel := context.WithTimeout(ctx, pingTimeout)
				err = conn.Ping(pctx)
				cancel()
				if err == nil {
					continue
				}
			}
			return true, fmt.Errorf("wait for notification: %w", err)
		}
		if n.Channel != Channel {
			continue
		}
		var ev masthead.CommentEvent
		if err := json.Unmarshal([]byte(n.Payload), &ev); err != nil || ev.ID <= 0 || ev.StoryID <= 0 {
			logger.Warn("events: ignoring malformed notification", "payload", n.Payload, "err", err)
			continue
		}
		b.Publish(ev)
	}
}
