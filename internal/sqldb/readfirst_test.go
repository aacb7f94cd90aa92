package sqldb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// holdWrites blocks the writes that the test is about until the test ends:
// on SQLite it holds the single writer connection in an IMMEDIATE
// transaction, so any write transaction waits; on PostgreSQL it locks the
// tables against writes (reads still go through) and holds the account's
// meter lock.
func holdWrites(t *testing.T, db *sqldb.DB, accountID int64, tables ...string) {
	t.Helper()
	ctx := context.Background()
	pools := db.Pools()
	p := pools["write"]
	if db.Dialect() == sqldb.DialectPostgres {
		p = pools["main"]
	}
	tx, err := p.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("hold writes: %v", err)
	}
	t.Cleanup(func() { tx.Rollback() })
	if db.Dialect() != sqldb.DialectPostgres {
		return
	}
	for _, table := range tables {
		if _, err := tx.ExecContext(ctx, `LOCK TABLE `+table+` IN EXCLUSIVE MODE`); err != nil {
			t.Fatalf("lock %s: %v", table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, sqldb.MeterLockClass, int32(accountID)); err != nil {
		t.Fatalf("lock meter: %v", err)
	}
}

// blocked is how long a call may wait on held writes before the test
// takes it as having tried to write. It is generous, so that a slow,
// shared machine cannot make a read look like a wait for the writer.
const blocked = 2 * time.Second

// A re-read and a read on a spent meter decide with a read: they go
// through while writes are held. Only a read to count needs the writer.
func TestReadMeteredReadsFirst(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		acc := f.account("reader@example.com")
		stories := meteredStories(t, db, "rf", 3)
		svc := sqldb.NewMeterService(db)
		start, end := masthead.CalendarMonth(epoch, time.UTC)
		const limit = 1
		if _, ok, err := svc.ReadMetered(ctx, acc.ID, stories[0], start, end, limit); err != nil || !ok {
			t.Fatalf("first ReadMetered = %v, %v; want allowed", ok, err)
		}
		before := countRows(t, db, "meter_reads")

		holdWrites(t, db, acc.ID, "meter_reads")
		for _, tc := range []struct {
			name      string
			story     int64
			limit     int
			allowed   bool
			used      int
			needWrite bool
		}{
			{"re-read", stories[0], limit, true, 1, false},
			{"spent", stories[1], limit, false, 1, false},
			{"zero meter", stories[1], 0, false, 1, false},
			{"new read", stories[2], 5, false, 0, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(ctx, blocked)
				defer cancel()
				m, ok, err := svc.ReadMetered(ctx, acc.ID, tc.story, start, end, tc.limit)
				if tc.needWrite {
					if err == nil {
						t.Fatalf("a read to count went through while writes were held (%+v, %v): the test proves nothing", m, ok)
					}
					return
				}
				if err != nil {
					if errors.Is(err, context.DeadlineExceeded) {
						t.Fatalf("ReadMetered waited for the writer: %v", err)
					}
					t.Fatalf("ReadMetered: %v", err)
				}
				if got, want := ok, tc.allowed; got != want {
					t.Errorf("allowed %v, want %v", got, want)
				}
				if got, want := m.Used, tc.used; got != want {
					t.Errorf("used %d, want %d", got, want)
				}
			})
		}
		if after := countRows(t, db, "meter_reads"); after != before {
			t.Errorf("meter_reads %d rows, want %d", after, before)
		}
	})
}

// Opening a gift link that does not work (unknown, to another story,
// expired) is decided by a read; only a working link is counted, in a
// write.
func TestOpenGiftLinkReadsFirst(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		giver := f.account("giver@example.com")
		ids := meteredStories(t, db, "g", 2)
		svc := sqldb.NewGiftService(db)
		start, end := masthead.CalendarMonth(epoch, time.UTC)
		short, err := svc.CreateGiftLink(ctx, giver.ID, "g-0", 5, start, end, time.Minute)
		if err != nil {
			t.Fatalf("CreateGiftLink: %v", err)
		}
		long, err := svc.CreateGiftLink(ctx, giver.ID, "g-0", 5, start, end, time.Hour)
		if err != nil {
			t.Fatalf("CreateGiftLink: %v", err)
		}
		clk.Set(epoch.Add(2 * time.Minute)) // short has expired

		holdWrites(t, db, giver.ID, "gift_links")
		for _, tc := range []struct {
			name      string
			token     string
			story     int64
			code      string
			needWrite bool
		}{
			{"unknown token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ids[0], masthead.ENOTFOUND, false},
			{"another story", long.Token, ids[1], masthead.ENOTFOUND, false},
			{"expired", short.Token, ids[0], masthead.EFORBIDDEN, false},
			{"working link", long.Token, ids[0], "", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(ctx, blocked)
				defer cancel()
				_, err := svc.OpenGiftLink(ctx, tc.token, tc.story)
				if tc.needWrite {
					if err == nil {
						t.Fatalf("a working link was counted while writes were held: the test proves nothing")
					}
					return
				}
				if got, want := masthead.ErrorCode(err), tc.code; got != want {
					t.Errorf("OpenGiftLink error %v (code %q), want code %q", err, got, want)
				}
			})
		}
	})
}
