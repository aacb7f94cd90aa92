package mail_test

import (
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"

	"masthead"
	mmail "masthead/internal/mail"
)

// replyData returns the data of a reply email quoting replies, counting
// count.
func replyData(t *testing.T, count string, replies ...masthead.ReplyNotice) map[string]string {
	t.Helper()
	b, err := json.Marshal(replies)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"name":                             "Ann",
		masthead.ReplyDataHeadline:         "Budget vote",
		masthead.ReplyDataStoryPath:        "/stories/budget-vote",
		masthead.ReplyDataReplies:          string(b),
		masthead.ReplyDataCount:            count,
		masthead.ReplyDataUnsubscribeToken: "tok-unsub",
	}
}

func replyMessage(data map[string]string) *masthead.OutboxMessage {
	return &masthead.OutboxMessage{ID: 9, Kind: masthead.EmailCommentReply, To: "ann@example.com", Data: data,
		CreatedAt: testNow}
}

func TestRenderCommentReply(t *testing.T) {
	data := replyData(t, "1", masthead.ReplyNotice{Name: "Bob", Excerpt: "I disagree, and here is why.", Path: "/comments/12"})
	msg, err := mmail.Render(testConfig(), replyMessage(data))
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if want := "New reply to your comment on “Budget vote”"; msg.Subject != want {
		t.Errorf("Subject = %q, want %q", msg.Subject, want)
	}
	unsub := "https://news.example/account/notifications/unsubscribe?token=tok-unsub"
	for name, want := range map[string]string{
		"List-Unsubscribe":      "<" + unsub + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Auto-Submitted":        "auto-generated",
	} {
		if got := msg.Headers[name]; got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	for _, want := range []string{
		"Hello Ann,",
		"There is a new reply to your comment on “Budget vote”.",
		"\nBob wrote:\n",
		"\n> I disagree, and here is why.\n",
		"\nhttps://news.example/comments/12\n",
		"\nhttps://news.example/stories/budget-vote#comments\n",
		"\n" + unsub + "\n",
	} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, msg.Text)
		}
	}
	for _, want := range []string{
		`href="https://news.example/comments/12"`,
		`href="https://news.example/stories/budget-vote#comments"`,
		`href="` + unsub + `"`,
		`I disagree, and here is why.</blockquote>`,
	} {
		if !strings.Contains(msg.HTML, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, msg.HTML)
		}
	}
	checkResolved(t, "subject", msg.Subject)
	checkResolved(t, "text part", msg.Text)
	checkResolved(t, "HTML part", msg.HTML)
}

func TestRenderCommentReplies(t *testing.T) {
	data := replyData(t, "5",
		masthead.ReplyNotice{Name: "Bob", Excerpt: "First", Path: "/comments/12"},
		masthead.ReplyNotice{Name: "<b>Eve</b>\nInjected line", Excerpt: "<script>alert(1)</script>", Path: "/comments/13"},
		masthead.ReplyNotice{Name: "Cat", Excerpt: "Third", Path: "/comments/14"})
	data[masthead.ReplyDataHeadline] = "Rates\r\nBcc: victim@example.com"
	msg, err := mmail.Render(testConfig(), replyMessage(data))
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !strings.HasPrefix(msg.Subject, "5 new replies to your comments on “Rates") || strings.ContainsAny(msg.Subject, "\r\n") {
		t.Errorf("Subject = %q", msg.Subject)
	}
	for _, want := range []string{"There are 5 new replies", "Bob wrote:", "Cat wrote:", "…and 2 more.",
		"https://news.example/comments/13", "https://news.example/comments/14"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, msg.Text)
		}
	}
	if strings.Contains(msg.Text, "\nInjected line") {
		t.Errorf("a name started a line of its own in the text part:\n%s", msg.Text)
	}
	for _, bad := range []string{"<script", "<b>"} {
		if strings.Contains(msg.HTML, bad) {
			t.Errorf("HTML part contains unescaped %q", bad)
		}
	}
	if !strings.Contains(msg.HTML, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("HTML part lacks the escaped excerpt:\n%s", msg.HTML)
	}
}

func TestRenderCommentReplyErrors(t *testing.T) {
	good := replyData(t, "1", masthead.ReplyNotice{Name: "Bob", Excerpt: "Hi", Path: "/comments/12"})
	with := func(k, v string) map[string]string {
		d := maps.Clone(good)
		if v == "" {
			delete(d, k)
		} else {
			d[k] = v
		}
		return d
	}
	for name, data := range map[string]map[string]string{
		"no unsubscribe token": with(masthead.ReplyDataUnsubscribeToken, ""),
		"no headline":          with(masthead.ReplyDataHeadline, ""),
		"no replies":           with(masthead.ReplyDataReplies, ""),
		"empty replies":        with(masthead.ReplyDataReplies, "[]"),
		"bad replies":          with(masthead.ReplyDataReplies, "{"),
		"other host story":     with(masthead.ReplyDataStoryPath, "//evil.example/x"),
		"absolute story":       with(masthead.ReplyDataStoryPath, "https://evil.example/x"),
		"other host reply":     replyData(t, "1", masthead.ReplyNotice{Name: "Bob", Excerpt: "Hi", Path: "//evil.example"}),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := mmail.Render(testConfig(), replyMessage(data))
			if !errors.Is(err, mmail.ErrPermanent) {
				t.Errorf("Render = %v, want a permanent error", err)
			}
		})
	}
	// An explicit unsubscribe URL wins over the token.
	d := with(masthead.ReplyDataUnsubscribeToken, "")
	d["unsubscribe_url"] = "https://news.example/u?t=1"
	msg, err := mmail.Render(testConfig(), replyMessage(d))
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Headers["List-Unsubscribe"]; got != "<https://news.example/u?t=1>" {
		t.Errorf("List-Unsubscribe = %q", got)
	}
}
