package sqldb_test

import (
	"context"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

// TestSanctionedCannotRespectOrReport: a suspended or banned subscriber
// takes no part in the discussion — no respects, no reports — and is told
// why, as the gate tells them; once the suspension ends, they may again.
func TestSanctionedCannotRespectOrReport(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("heated")
		author := f.subscriber("Tess Ormond", "basic")
		c := f.post("heated", 0, author, "Something to disagree with.")
		for _, tc := range []struct {
			name, set string
			args      []any
		}{
			{"suspended", `UPDATE accounts SET commenting_suspended_until = $2, sanction_reason = 'Cool off.' WHERE id = $1`,
				[]any{timeArg(db, clk.Now().Add(48*time.Hour))}},
			{"banned", `UPDATE accounts SET commenting_banned = TRUE, sanction_reason = 'Abuse.' WHERE id = $1`, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				reader := f.subscriber("", "basic")
				exec(t, db, tc.set, append([]any{reader.ID}, tc.args...)...)
				_, _, err := f.svc.ToggleRespect(ctx, c.ID, reader.ID)
				if got := masthead.ErrorCode(err); got != string(masthead.GateSuspended) {
					t.Errorf("ToggleRespect: code %q, want %q (%v)", got, masthead.GateSuspended, err)
				}
				err = f.svc.ReportComment(ctx, c.ID, reader.ID, "abuse", "")
				if got := masthead.ErrorCode(err); got != string(masthead.GateSuspended) {
					t.Errorf("ReportComment: code %q, want %q (%v)", got, masthead.GateSuspended, err)
				}
				if got := f.find(c.ID).Respects; got != 0 {
					t.Errorf("respects = %d, want 0", got)
				}
			})
		}
		// A suspension that has ended stops nothing.
		reader := f.subscriber("", "basic")
		exec(t, db, `UPDATE accounts SET commenting_suspended_until = $2, sanction_reason = 'Over.' WHERE id = $1`,
			reader.ID, timeArg(db, clk.Now().Add(-time.Minute)))
		if _, _, err := f.svc.ToggleRespect(ctx, c.ID, reader.ID); err != nil {
			t.Errorf("ToggleRespect after the suspension: %v", err)
		}
	})
}

// TestFreePlanChangeReachesPosting: posting reuses the Free plan it read
// for a second; a change to the plan reaches commenters after that.
func TestFreePlanChangeReachesPosting(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("open-to-all")
		reader := f.subscriber("Free Reader", "")
		post := func() error {
			_, err := f.svc.PostComment(ctx, masthead.NewComment{StorySlug: "open-to-all", AuthorID: reader.ID, Body: "Hello from Free."})
			return err
		}
		if got := masthead.ErrorCode(post()); got != string(masthead.GatePlanLacksCommenting) {
			t.Fatalf("before the change: code %q, want %q", got, masthead.GatePlanLacksCommenting)
		}
		plans := sqldb.NewPlanService(db)
		free, err := plans.FindPlanBySlug(ctx, "free")
		if err != nil {
			t.Fatal(err)
		}
		free.Entitlements.Comment = true
		if err := plans.SavePlan(ctx, free, masthead.Actor{}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1100 * time.Millisecond) // the kept plan's second
		if err := post(); err != nil {
			t.Fatalf("after the change: %v", err)
		}
	})
}
