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

// meteredStories saves n visible metered stories and returns their IDs.
func meteredStories(t *testing.T, db *sqldb.DB, prefix string, n int) []int64 {
	t.Helper()
	svc := sqldb.NewStoryService(db)
	var ids []int64
	for i := range n {
		s := save(t, svc, newStory(fmt.Sprintf("%s-%d", prefix, i), epoch.Add(-time.Hour), func(s *masthead.Story) {
			s.Access = masthead.AccessMetered
		}))
		ids = append(ids, s.ID)
	}
	return ids
}

func TestReadMetered(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		acc := f.account("reader@example.com")
		other := f.account("other@example.com")
		stories := meteredStories(t, db, "m", 4)
		svc := sqldb.NewMeterService(db)
		loc := time.FixedZone("UTC+9", 9*3600)
		start, end := masthead.MeterPeriod(epoch.Add(-40*24*time.Hour), epoch, loc)

		steps := []struct {
			name    string
			account int64
			story   int64
			used    int
			allowed bool
		}{
			{"first", acc.ID, stories[0], 1, true},
			{"re-read", acc.ID, stories[0], 1, true},
			{"second", acc.ID, stories[1], 2, true},
			{"spent", acc.ID, stories[2], 2, false},
			{"spent again", acc.ID, stories[2], 2, false},
			{"re-read when spent", acc.ID, stories[1], 2, true},
			{"another reader", other.ID, stories[2], 1, true},
		}
		for _, st := range steps {
			m, ok, err := svc.ReadMetered(ctx, st.account, st.story, start, end, 2)
			if err != nil {
				t.Fatalf("%s: ReadMetered: %v", st.name, err)
			}
			want := masthead.MeterState{Used: st.used, Limit: 2, PeriodStart: start, PeriodEnd: end}
			if ok != st.allowed || m != want {
				t.Errorf("%s: ReadMetered = %+v, %v; want %+v, %v", st.name, m, ok, want, st.allowed)
			}
		}
		m, err := svc.Meter(ctx, acc.ID, start, end, 2)
		if err != nil || m.Used != 2 || m.Remaining() != 0 || !m.PeriodStart.Equal(start) {
			t.Errorf("Meter = %+v, %v; want 2 used", m, err)
		}
		// A new period starts afresh.
		start2, end2 := end, end.AddDate(0, 1, 0)
		if m, ok, err := svc.ReadMetered(ctx, acc.ID, stories[2], start2, end2, 2); err != nil || !ok || m.Used != 1 {
			t.Errorf("ReadMetered in a new period = %+v, %v, %v; want 1 used, allowed", m, ok, err)
		}
		if m, _ := svc.Meter(ctx, acc.ID, start2, end2, 2); m.Used != 1 {
			t.Errorf("Meter in the new period = %+v", m)
		}
		// Unlimited reads are not recorded.
		before := countRows(t, db, "meter_reads")
		if m, ok, err := svc.ReadMetered(ctx, acc.ID, stories[3], start2, end2, masthead.Unlimited); err != nil || !ok || m.Limit != masthead.Unlimited {
			t.Errorf("ReadMetered unlimited = %+v, %v, %v", m, ok, err)
		}
		if after := countRows(t, db, "meter_reads"); after != before {
			t.Errorf("an unlimited read was recorded")
		}
		// A zero meter allows nothing.
		if _, ok, err := svc.ReadMetered(ctx, acc.ID, stories[3], start2, end2, 0); err != nil || ok {
			t.Errorf("ReadMetered with limit 0 = %v, %v; want false", ok, err)
		}
	})
}

func TestReadMeteredConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		acc := f.account("reader@example.com")
		stories := meteredStories(t, db, "c", 12)
		svc := sqldb.NewMeterService(db)
		start, end := masthead.CalendarMonth(epoch, time.UTC)
		const limit = 3
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for _, id := range stories {
			wg.Go(func() {
				m, ok, err := svc.ReadMetered(ctx, acc.ID, id, start, end, limit)
				if err != nil {
					t.Errorf("ReadMetered: %v", err)
					return
				}
				if m.Used > limit {
					t.Errorf("meter used %d > limit %d", m.Used, limit)
				}
				if ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if allowed != limit {
			t.Errorf("allowed %d concurrent reads, want %d", allowed, limit)
		}
		if n := countRows(t, db, "meter_reads"); n != limit {
			t.Errorf("meter_reads rows = %d, want %d", n, limit)
		}
	})
}
