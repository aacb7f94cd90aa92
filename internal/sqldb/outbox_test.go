package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// queueSignUps queues n verification emails, to r0@ ... r(n-1)@example.com.
func queueSignUps(t *testing.T, f *accountsFixture, n int) {
	t.Helper()
	for i := range n {
		if err := f.svc.SignUp(context.Background(), fmt.Sprintf("r%d@example.com", i), password, clientN(i)); err != nil {
			t.Fatalf("SignUp: %v", err)
		}
		f.advance(time.Millisecond)
	}
}

func recipients(msgs []*masthead.OutboxMessage) string {
	var s []string
	for _, m := range msgs {
		s = append(s, m.To)
	}
	return fmt.Sprint(s)
}

func TestOutboxClaimAndMark(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		ob := sqldb.NewOutboxService(db)
		queueSignUps(t, f, 3)
		claim := func(n int) []*masthead.OutboxMessage {
			t.Helper()
			msgs, err := ob.ClaimOutbox(ctx, n, time.Minute)
			if err != nil {
				t.Fatalf("ClaimOutbox: %v", err)
			}
			return msgs
		}

		first := claim(2)
		if got, want := recipients(first), "[r0@example.com r1@example.com]"; got != want {
			t.Fatalf("first claim = %s, want %s", got, want)
		}
		m := first[0]
		if m.Kind != masthead.EmailVerify || len(m.Data["token"]) != 43 || m.Attempts != 0 || !m.CreatedAt.Equal(epoch) {
			t.Errorf("claimed message = %+v, want a fresh verification with a token, created at %v", m, epoch)
		}
		f.advance(time.Second)
		if got, want := recipients(claim(10)), "[r2@example.com]"; got != want {
			t.Errorf("second claim = %s, want %s (the rest are leased)", got, want)
		}
		if got := claim(10); len(got) != 0 {
			t.Errorf("third claim = %s, want nothing", recipients(got))
		}

		if err := ob.MarkSent(ctx, first[0].ID); err != nil {
			t.Fatalf("MarkSent: %v", err)
		}
		retryAt := clk.Now().Add(5 * time.Minute)
		if err := ob.MarkFailed(ctx, first[1].ID, "421 try later", retryAt); err != nil {
			t.Fatalf("MarkFailed: %v", err)
		}
		// The third's lease runs out; the failed one waits for retryAt.
		f.advance(time.Minute)
		if got, want := recipients(claim(10)), "[r2@example.com]"; got != want {
			t.Errorf("claim after the lease = %s, want %s", got, want)
		}
		clk.Set(retryAt)
		retried := claim(10)
		// r2's second lease has run out too.
		if got, want := recipients(retried), "[r1@example.com r2@example.com]"; got != want {
			t.Fatalf("claim at retryAt = %s, want %s", got, want)
		}
		if retried[0].Attempts != 1 || retried[0].Data["token"] == "" {
			t.Errorf("retried message = %+v, want 1 attempt and its token", retried[0])
		}
		if err := ob.MarkFailed(ctx, retried[0].ID, "550 no such user", time.Time{}); err != nil {
			t.Fatalf("MarkFailed (give up): %v", err)
		}
		f.advance(time.Hour)
		if got := recipients(claim(10)); got != "[r2@example.com]" {
			t.Errorf("claim after giving up = %s, want only r2", got)
		}

		var status, data, lastError string
		var attempts int
		pool(t, db).QueryRow(`SELECT status, data, attempts, last_error FROM outbox WHERE id = $1`, retried[0].ID).
			Scan(&status, &data, &attempts, &lastError)
		if status != "failed" || data != "{}" || attempts != 2 || lastError != "550 no such user" {
			t.Errorf("failed message = %s %s %d %q; want failed {} 2 \"550 no such user\"", status, data, attempts, lastError)
		}
		pool(t, db).QueryRow(`SELECT status, data FROM outbox WHERE id = $1`, first[0].ID).Scan(&status, &data)
		if status != "sent" || data != "{}" {
			t.Errorf("sent message = %s %s; want sent {}", status, data)
		}
		// A message another sender has sent is not put back by a late
		// failure report.
		if err := ob.MarkFailed(ctx, first[0].ID, "late", clk.Now()); err != nil {
			t.Errorf("MarkFailed of a sent message: %v", err)
		}
		pool(t, db).QueryRow(`SELECT status FROM outbox WHERE id = $1`, first[0].ID).Scan(&status)
		if status != "sent" {
			t.Errorf("status after a late failure = %s, want sent", status)
		}
		if err := ob.MarkSent(ctx, 9999); err == nil {
			t.Errorf("MarkSent(unknown) = nil, want an error")
		}
		if err := ob.MarkFailed(ctx, 9999, "x", time.Time{}); err == nil {
			t.Errorf("MarkFailed(unknown) = nil, want an error")
		}
	})
}

func TestOutboxConcurrentClaims(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newAccounts(t, db, clk)
		const total = 60
		queueSignUps(t, f, total)
		// Several handles, as several instances would have.
		claimers := []*sqldb.OutboxService{sqldb.NewOutboxService(db), sqldb.NewOutboxService(db), sqldb.NewOutboxService(db), sqldb.NewOutboxService(db)}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for _, ob := range claimers {
			wg.Go(func() {
				for {
					msgs, err := ob.ClaimOutbox(ctx, 3, time.Hour)
					if err != nil {
						t.Errorf("ClaimOutbox: %v", err)
						return
					}
					if len(msgs) == 0 {
						return
					}
					mu.Lock()
					for _, m := range msgs {
						seen[m.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != total {
			t.Errorf("claimed %d distinct messages, want %d", len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("message %d claimed %d times", id, n)
			}
		}
	})
}
