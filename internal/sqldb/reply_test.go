package sqldb_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"masthead"
	mmail "masthead/internal/mail"
	"masthead/internal/sqldb"
)

// replyMail is an outbox row of kind comment_reply as the tests see it.
type replyMail struct {
	ID        int64
	To        string
	AccountID int64
	ThreadID  int64
	Data      map[string]string
	Replies   []masthead.ReplyNotice
	Status    string
	Due       time.Time
	CreatedAt time.Time
}

// replyMails returns every reply email in the outbox, oldest first.
func replyMails(t *testing.T, db *sqldb.DB) []replyMail {
	t.Helper()
	rows, err := pool(t, db).Query(`SELECT id, to_address, account_id, thread_id, data, status, next_attempt_at, created_at
FROM outbox WHERE kind = $1 ORDER BY id`, string(masthead.EmailCommentReply))
	if err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	defer rows.Close()
	var out []replyMail
	for rows.Next() {
		var m replyMail
		var data string
		var due, created any
		if err := rows.Scan(&m.ID, &m.To, &m.AccountID, &m.ThreadID, &data, &m.Status, &due, &created); err != nil {
			t.Fatalf("read outbox: %v", err)
		}
		m.Due, m.CreatedAt = scanTime(t, due), scanTime(t, created)
		if err := json.Unmarshal([]byte(data), &m.Data); err != nil {
			t.Fatalf("outbox data %q: %v", data, err)
		}
		if s := m.Data[masthead.ReplyDataReplies]; s != "" {
			if err := json.Unmarshal([]byte(s), &m.Replies); err != nil {
				t.Fatalf("replies %q: %v", s, err)
			}
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// scanTime converts a stored time of either engine.
func scanTime(t *testing.T, v any) time.Time {
	t.Helper()
	switch v := v.(type) {
	case int64:
		return time.Unix(0, v).UTC()
	case time.Time:
		return v.UTC()
	}
	t.Fatalf("time column holds %T", v)
	return time.Time{}
}

// repliesTo returns the reply emails to the account.
func repliesTo(t *testing.T, db *sqldb.DB, a *masthead.Account) []replyMail {
	t.Helper()
	var out []replyMail
	for _, m := range replyMails(t, db) {
		if m.AccountID == a.ID {
			out = append(out, m)
		}
	}
	return out
}

// names returns the names of the replies an email quotes.
func (m replyMail) names() string {
	var s []string
	for _, r := range m.Replies {
		s = append(s, r.Name)
	}
	return strings.Join(s, ",")
}

func TestReplyEmail(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		f := newComments(t, db, clk)
		f.story("s", func(s *masthead.Story) { s.Headline = "Budget vote" })
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "premium")

		top := f.post("s", 0, ann, "A top-level comment")
		if got := replyMails(t, db); len(got) != 0 {
			t.Fatalf("a top-level comment queued %+v", got)
		}
		long := strings.Repeat("word ", 60) + "\n\nend"
		r := f.post("s", top.ID, bob, long)
		got := replyMails(t, db)
		if len(got) != 1 {
			t.Fatalf("reply emails = %+v, want one", got)
		}
		m := got[0]
		if m.To != ann.Email || m.AccountID != ann.ID || m.ThreadID != top.ID || m.Status != "pending" ||
			!m.Due.Equal(clk.Now()) {
			t.Errorf("email = %+v, want one to %s about thread %d due now", m, ann.Email, top.ID)
		}
		for k, want := range map[string]string{
			"name": "Ann", masthead.ReplyDataHeadline: "Budget vote", masthead.ReplyDataStoryPath: "/stories/s",
			masthead.ReplyDataCount: "1",
		} {
			if m.Data[k] != want {
				t.Errorf("Data[%q] = %q, want %q", k, m.Data[k], want)
			}
		}
		if tok := m.Data[masthead.ReplyDataUnsubscribeToken]; len(tok) < 40 {
			t.Errorf("unsubscribe token = %q", tok)
		}
		if len(m.Replies) != 1 {
			t.Fatalf("replies = %+v", m.Replies)
		}
		rn := m.Replies[0]
		wantExcerpt := strings.TrimSpace(strings.Repeat("word ", 40)) + "…"
		if rn.Name != "Bob" || rn.Path != "/comments/"+strconv.FormatInt(r.ID, 10) || rn.Excerpt != wantExcerpt {
			t.Errorf("reply = %+v, want Bob's, excerpt %q", rn, wantExcerpt)
		}

		// The message renders, with its unsubscribe link.
		msg, err := mmail.Render(mmail.Config{SiteName: "Daily", BaseURL: "https://news.example"},
			&masthead.OutboxMessage{ID: m.ID, Kind: masthead.EmailCommentReply, To: m.To, Data: m.Data, CreatedAt: m.CreatedAt})
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		if want := "<https://news.example/account/notifications/unsubscribe?token=" + m.Data[masthead.ReplyDataUnsubscribeToken] + ">"; msg.Headers["List-Unsubscribe"] != want {
			t.Errorf("List-Unsubscribe = %q, want %q", msg.Headers["List-Unsubscribe"], want)
		}
		if !strings.Contains(msg.Text, "https://news.example/comments/"+strconv.FormatInt(r.ID, 10)) {
			t.Errorf("text part lacks the reply's link:\n%s", msg.Text)
		}
	})
}

func TestReplyEmailNone(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("s")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "premium")
		cat := f.subscriber("Cat", "basic")

		// One's own reply, even under another's thread.
		top := f.post("s", 0, ann, "Top")
		f.advance(10 * time.Second)
		own := f.post("s", top.ID, ann, "Answering myself")
		if got := replyMails(t, db); len(got) != 0 {
			t.Fatalf("an own reply queued %+v", got)
		}
		bobTop := f.post("s", 0, bob, "Bob's top")
		f.advance(10 * time.Second)
		f.post("s", bobTop.ID, bob, "Bob to Bob")
		if got := replyMails(t, db); len(got) != 0 {
			t.Fatalf("an own reply queued %+v", got)
		}

		// Reply emails off: one already waiting is dropped too.
		f.post("s", top.ID, cat, "Cat replies early")
		if got := repliesTo(t, db, ann); len(got) != 1 {
			t.Fatalf("a reply to Ann queued %+v, want one email", got)
		}
		if err := f.accts.SetReplyEmails(ctx, ann.ID, false); err != nil {
			t.Fatal(err)
		}
		if got := repliesTo(t, db, ann); len(got) != 0 {
			t.Fatalf("reply emails turned off, but the waiting one stayed: %+v", got)
		}
		f.advance(10 * time.Second)
		f.post("s", top.ID, cat, "Cat replies")
		f.advance(10 * time.Second)
		f.post("s", own.ID, bob, "Bob replies")
		if got := replyMails(t, db); len(got) != 0 {
			t.Fatalf("reply emails off, but queued %+v", got)
		}

		// A deleted author.
		exec(t, db, `UPDATE accounts SET deleted_at = $1 WHERE id = $2`, timeArg(db, clk.Now()), bob.ID)
		f.advance(10 * time.Second)
		f.post("s", bobTop.ID, cat, "Cat to the departed")
		if got := replyMails(t, db); len(got) != 0 {
			t.Fatalf("a deleted author was sent %+v", got)
		}

		// The reply goes to the replied-to comment's author, not the
		// thread's.
		if err := f.accts.SetReplyEmails(ctx, ann.ID, true); err != nil {
			t.Fatal(err)
		}
		dan := f.subscriber("Dan", "basic")
		catReply := f.post("s", top.ID, dan, "Dan to Ann")
		f.advance(10 * time.Second)
		f.post("s", catReply.ID, cat, "Cat to Dan")
		if got := repliesTo(t, db, dan); len(got) != 1 || got[0].ThreadID != top.ID || got[0].names() != "Cat" {
			t.Errorf("emails to Dan = %+v, want one about Cat's reply", got)
		}
		if got := repliesTo(t, db, ann); len(got) != 1 || got[0].names() != "Dan" {
			t.Errorf("emails to Ann = %+v, want one about Dan's reply", got)
		}
	})
}

func TestReplyEmailBatching(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		f.story("s")
		f.story("other")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "premium")
		cat := f.subscriber("Cat", "basic")
		dan := f.subscriber("Dan", "basic")
		outbox := sqldb.NewOutboxService(db)

		top := f.post("s", 0, ann, "Top")
		r1 := f.post("s", top.ID, bob, "Bob 1")
		f.advance(time.Minute)
		f.post("s", r1.ID, cat, "Cat to Bob") // to Bob, not Ann
		f.advance(time.Minute)
		f.post("s", top.ID, cat, "Cat 1")
		f.advance(10 * time.Minute)
		f.post("s", top.ID, dan, "Dan 1")

		got := repliesTo(t, db, ann)
		if len(got) != 1 {
			t.Fatalf("emails to Ann = %+v, want one", got)
		}
		first := got[0]
		if first.names() != "Bob,Cat,Dan" || first.Data[masthead.ReplyDataCount] != "3" || !first.Due.Equal(epoch) {
			t.Errorf("email = %+v, want Bob's, Cat's and Dan's replies, due at first", first)
		}

		// Another thread is another email.
		top2 := f.post("other", 0, ann, "Elsewhere")
		f.advance(10 * time.Second)
		f.post("other", top2.ID, bob, "Bob elsewhere")
		if got := repliesTo(t, db, ann); len(got) != 2 || got[1].ThreadID != top2.ID || got[1].names() != "Bob" {
			t.Errorf("emails to Ann = %+v, want a second about the other thread", got)
		}

		// Once the first is sent, a reply within the hour waits for the
		// hour to pass, and later replies join it.
		sentAt := clk.Now()
		claimed, err := outbox.ClaimOutbox(ctx, 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range claimed {
			if c.ID == first.ID {
				if err := outbox.MarkSent(ctx, c.ID); err != nil {
					t.Fatal(err)
				}
			} else if err := outbox.MarkFailed(ctx, c.ID, "later", clk.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		f.advance(10 * time.Minute)
		f.post("s", top.ID, bob, "Bob 2")
		f.advance(time.Minute)
		f.post("s", r1.ID, dan, "Dan to Bob") // to Bob
		f.advance(time.Minute)
		f.post("s", top.ID, cat, "Cat 2")
		got = repliesTo(t, db, ann)
		if len(got) != 3 {
			t.Fatalf("emails to Ann = %+v, want three", got)
		}
		second := got[2]
		if second.ThreadID != top.ID || second.Status != "pending" || !second.Due.Equal(sentAt.Add(time.Hour)) ||
			second.names() != "Bob,Cat" || second.Data[masthead.ReplyDataCount] != "2" {
			t.Errorf("email = %+v, want Bob's and Cat's replies due an hour after the first was sent (%v)", second, sentAt.Add(time.Hour))
		}
		if second.Data[masthead.ReplyDataUnsubscribeToken] == "" {
			t.Errorf("the second email has no unsubscribe token")
		}
		if got := repliesTo(t, db, bob); len(got) != 1 || got[0].names() != "Cat,Dan" {
			t.Errorf("emails to Bob = %+v, want one with Cat's and Dan's replies", got)
		}

		// It is not sent before it is due.
		claimed, err = outbox.ClaimOutbox(ctx, 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range claimed {
			if c.ID == second.ID {
				t.Errorf("the batched email was claimed %v before it was due", second.Due.Sub(clk.Now()))
			}
		}

		// While it is being sent, a new reply starts a new batch.
		clk.Set(second.Due)
		claimed, err = outbox.ClaimOutbox(ctx, 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		leased := false
		for _, c := range claimed {
			leased = leased || c.ID == second.ID
		}
		if !leased {
			t.Fatalf("the batched email was not claimed when due")
		}
		f.post("s", top.ID, dan, "Dan 2")
		got = repliesTo(t, db, ann)
		if len(got) != 4 || got[2].names() != "Bob,Cat" || got[3].names() != "Dan" || !got[3].Due.Equal(clk.Now().Add(time.Hour)) {
			t.Errorf("emails to Ann = %+v, want a fourth with Dan's reply due in an hour", got)
		}

		// More than an hour after the last was sent: at once.
		if err := outbox.MarkSent(ctx, second.ID); err != nil {
			t.Fatal(err)
		}
		exec(t, db, `DELETE FROM outbox WHERE id = $1`, got[3].ID)
		f.advance(61 * time.Minute)
		f.post("s", top.ID, bob, "Bob 3")
		got = repliesTo(t, db, ann)
		if last := got[len(got)-1]; last.names() != "Bob" || !last.Due.Equal(clk.Now()) {
			t.Errorf("last email = %+v, want Bob's reply due now", last)
		}
	})
}

func TestReplyEmailQuotesAtMost(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		f := newComments(t, db, clk)
		f.story("s")
		ann := f.subscriber("Ann", "basic")
		top := f.post("s", 0, ann, "Top")
		others := make([]*masthead.Account, masthead.MaxRepliesPerEmail+2)
		for i := range others {
			others[i] = f.subscriber("Reader "+strconv.Itoa(i), "basic")
			f.post("s", top.ID, others[i], "Reply "+strconv.Itoa(i))
		}
		got := repliesTo(t, db, ann)
		if len(got) != 1 || len(got[0].Replies) != masthead.MaxRepliesPerEmail ||
			got[0].Data[masthead.ReplyDataCount] != strconv.Itoa(len(others)) {
			t.Fatalf("emails = %+v, want one quoting %d of %d replies", got, masthead.MaxRepliesPerEmail, len(others))
		}
	})
}

func TestUnsubscribeReplies(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB, clk *fakeClock) {
		ctx := context.Background()
		f := newComments(t, db, clk)
		ns := sqldb.NewNotificationService(db)
		f.story("s")
		ann := f.subscriber("Ann", "basic")
		bob := f.subscriber("Bob", "premium")
		cat := f.subscriber("Cat", "basic")

		annTop := f.post("s", 0, ann, "Ann's")
		catTop := f.post("s", 0, cat, "Cat's")
		f.post("s", annTop.ID, bob, "To Ann")
		f.advance(10 * time.Second)
		f.post("s", catTop.ID, bob, "To Cat")
		toAnn, toCat := repliesTo(t, db, ann), repliesTo(t, db, cat)
		if len(toAnn) != 1 || len(toCat) != 1 {
			t.Fatalf("emails to Ann %+v and Cat %+v, want one each", toAnn, toCat)
		}
		token := toAnn[0].Data[masthead.ReplyDataUnsubscribeToken]

		for _, bad := range []string{"", "short", strings.Repeat("A", len(token)), toCat[0].Data["name"]} {
			if err := ns.UnsubscribeReplies(ctx, bad); errCode(err) != masthead.EINVALID {
				t.Errorf("UnsubscribeReplies(%q) = %v, want EINVALID", bad, err)
			}
		}
		// A token of another purpose does not work.
		exec(t, db, `UPDATE tokens SET purpose = 'verify' WHERE account_id = $1`, cat.ID)
		if err := ns.UnsubscribeReplies(ctx, toCat[0].Data[masthead.ReplyDataUnsubscribeToken]); errCode(err) != masthead.EINVALID {
			t.Errorf("a token of another purpose: %v, want EINVALID", err)
		}

		if err := ns.UnsubscribeReplies(ctx, token); err != nil {
			t.Fatalf("UnsubscribeReplies: %v", err)
		}
		a, err := f.accts.FindAccountByID(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.ReplyEmails {
			t.Errorf("reply emails still on")
		}
		if got := repliesTo(t, db, ann); len(got) != 0 {
			t.Errorf("the pending email stayed: %+v", got)
		}
		if got := repliesTo(t, db, cat); len(got) != 1 {
			t.Errorf("Cat's email went too: %+v", got)
		}
		// Again (a mail client's one-click request, then the reader's).
		if err := ns.UnsubscribeReplies(ctx, token); err != nil {
			t.Errorf("UnsubscribeReplies again: %v", err)
		}
		f.advance(10 * time.Second)
		f.post("s", annTop.ID, cat, "To Ann again")
		if got := repliesTo(t, db, ann); len(got) != 0 {
			t.Errorf("unsubscribed, but queued %+v", got)
		}

		// Turned on again, then the link expires.
		if err := f.accts.SetReplyEmails(ctx, ann.ID, true); err != nil {
			t.Fatal(err)
		}
		f.advance(366 * 24 * time.Hour)
		if err := ns.UnsubscribeReplies(ctx, token); errCode(err) != masthead.EINVALID {
			t.Errorf("an expired token: %v, want EINVALID", err)
		}
		if a, _ := f.accts.FindAccountByID(ctx, ann.ID); !a.ReplyEmails {
			t.Errorf("an expired token turned reply emails off")
		}
	})
}
