package sqldb_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/sqldb"
)

func TestGiftLinks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		giver := f.account("giver@example.com")
		other := f.account("other@example.com")
		stories := sqldb.NewStoryService(db)
		access := func(a masthead.Access) func(*masthead.Story) { return func(s *masthead.Story) { s.Access = a } }
		metered := save(t, stories, newStory("metered", epoch.Add(-time.Hour), access(masthead.AccessMetered)))
		premium := save(t, stories, newStory("premium", epoch.Add(-time.Hour), access(masthead.AccessPremium)))
		save(t, stories, newStory("free", epoch.Add(-time.Hour)))
		save(t, stories, newStory("later", epoch.Add(time.Hour), access(masthead.AccessPremium), func(s *masthead.Story) {
			s.Status = masthead.StatusScheduled
		}))
		svc := sqldb.NewGiftService(db)
		loc := time.FixedZone("UTC-5", -5*3600)
		start, end := masthead.MeterPeriod(epoch, epoch, loc)

		_, err := svc.CreateGiftLink(ctx, giver.ID, "metered", 0, start, end, 0)
		wantErr(t, "CreateGiftLink(not included)", err, masthead.EFORBIDDEN, masthead.Msg(masthead.MsgGiftLinksNotIncluded))
		_, err = svc.CreateGiftLink(ctx, giver.ID, "free", 2, start, end, 0)
		wantErr(t, "CreateGiftLink(free story)", err, masthead.EINVALID, masthead.Msg(masthead.MsgGiftStoryNotGiftable))
		_, err = svc.CreateGiftLink(ctx, giver.ID, "nowhere", 2, start, end, 0)
		wantErr(t, "CreateGiftLink(unknown story)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgStoryNotFound))
		_, err = svc.CreateGiftLink(ctx, giver.ID, "later", 2, start, end, 0)
		wantErr(t, "CreateGiftLink(scheduled story)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgStoryNotFound))

		first, err := svc.CreateGiftLink(ctx, giver.ID, "metered", 2, start, end, 0)
		if err != nil {
			t.Fatalf("CreateGiftLink: %v", err)
		}
		if len(first.Token) != 43 || first.ID == 0 || first.GiverID != giver.ID || first.Story.Slug != "metered" ||
			first.Story.Headline != "Headline of metered" || first.Story.ID != metered.ID ||
			!first.CreatedAt.Equal(epoch) || !first.ExpiresAt.Equal(epoch.Add(masthead.DefaultGiftLinkLifetime)) {
			t.Errorf("CreateGiftLink = %+v", first)
		}
		clk.Set(epoch.Add(time.Minute))
		second, err := svc.CreateGiftLink(ctx, giver.ID, "premium", 2, start, end, time.Hour)
		if err != nil {
			t.Fatalf("CreateGiftLink: %v", err)
		}
		_, err = svc.CreateGiftLink(ctx, giver.ID, "premium", 2, start, end, 0)
		wantErr(t, "CreateGiftLink(spent)", err, masthead.EFORBIDDEN,
			masthead.Msg(masthead.MsgGiftLinksSpent, 2, end.Format("2 January 2006")))
		if n, err := svc.CountGiftLinks(ctx, giver.ID, start, end); err != nil || n != 2 {
			t.Errorf("CountGiftLinks = %d, %v; want 2", n, err)
		}
		if _, err := svc.CreateGiftLink(ctx, other.ID, "premium", 1, start, end, 0); err != nil {
			t.Errorf("another giver's limit is their own: %v", err)
		}
		if strings.Contains(string(first.Token), "=") {
			t.Errorf("token %q is padded", first.Token)
		}
		assertNotStored(t, db, first.Token)

		// Opening counts; another story or token is not found.
		for i := 1; i <= 2; i++ {
			l, err := svc.OpenGiftLink(ctx, first.Token, metered.ID)
			if err != nil || l.Opens != i || l.ID != first.ID || l.Story.Slug != "metered" || l.GiverID != giver.ID || l.Token != "" {
				t.Errorf("OpenGiftLink #%d = %+v, %v", i, l, err)
			}
		}
		_, err = svc.OpenGiftLink(ctx, first.Token, premium.ID)
		wantErr(t, "OpenGiftLink(wrong story)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgGiftLinkNotFound))
		_, err = svc.OpenGiftLink(ctx, "garbage", metered.ID)
		wantErr(t, "OpenGiftLink(garbage)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgGiftLinkNotFound))
		_, err = svc.OpenGiftLink(ctx, strings.Repeat("A", 43), metered.ID)
		wantErr(t, "OpenGiftLink(unknown)", err, masthead.ENOTFOUND, masthead.Msg(masthead.MsgGiftLinkNotFound))

		// The one-hour link expires; opening it then is not counted.
		clk.Set(epoch.Add(time.Minute + time.Hour))
		_, err = svc.OpenGiftLink(ctx, second.Token, premium.ID)
		wantErr(t, "OpenGiftLink(expired)", err, masthead.EFORBIDDEN, masthead.Msg(masthead.MsgGiftLinkExpired))

		links, err := svc.GiftLinks(ctx, giver.ID)
		if err != nil {
			t.Fatalf("GiftLinks: %v", err)
		}
		var got []string
		for _, l := range links {
			got = append(got, l.Story.Slug+"/"+l.Story.Headline+"/"+string(rune('0'+l.Opens))+"/"+l.Token)
		}
		want := []string{"premium/Headline of premium/0/", "metered/Headline of metered/2/"}
		if !slices.Equal(got, want) {
			t.Errorf("GiftLinks = %q, want %q", got, want)
		}
		// The first link lasts 14 days.
		clk.Set(epoch.Add(masthead.DefaultGiftLinkLifetime - time.Second))
		if _, err := svc.OpenGiftLink(ctx, first.Token, metered.ID); err != nil {
			t.Errorf("OpenGiftLink before 14 days: %v", err)
		}
		clk.Set(epoch.Add(masthead.DefaultGiftLinkLifetime))
		_, err = svc.OpenGiftLink(ctx, first.Token, metered.ID)
		wantErr(t, "OpenGiftLink after 14 days", err, masthead.EFORBIDDEN, masthead.Msg(masthead.MsgGiftLinkExpired))

		// A new period gives new links.
		if _, err := svc.CreateGiftLink(ctx, giver.ID, "premium", 2, end, end.AddDate(0, 1, 0), 0); err != nil {
			t.Errorf("CreateGiftLink in the next period: %v", err)
		}
	})
}

func TestGiftLinksConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newBilling(t, db, clk)
		giver := f.account("giver@example.com")
		save(t, sqldb.NewStoryService(db), newStory("premium", epoch.Add(-time.Hour), func(s *masthead.Story) { s.Access = masthead.AccessPremium }))
		svc := sqldb.NewGiftService(db)
		start, end := masthead.CalendarMonth(epoch, time.UTC)
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				_, err := svc.CreateGiftLink(ctx, giver.ID, "premium", 5, start, end, 0)
				if err != nil && errCode(err) != masthead.EFORBIDDEN {
					t.Errorf("CreateGiftLink: %v", err)
				}
			})
		}
		wg.Wait()
		if n := countRows(t, db, "gift_links"); n != 5 {
			t.Errorf("gift_links rows = %d, want 5", n)
		}
	})
}
