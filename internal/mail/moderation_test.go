package mail_test

import (
	"errors"
	"strings"
	"testing"

	"masthead"
	mmail "masthead/internal/mail"
)

// moderationKinds are the moderation emails with the data their senders
// give them, the links they must carry and text they must show.
var moderationKinds = []kindCase{
	{masthead.EmailCommentApproved, map[string]string{
		"story_headline": "Harbour plans approved", "story_slug": "harbour-plans", "excerpt": "Good news for the town.", "name": "Jo"},
		[]string{"https://news.example/stories/harbour-plans#comments"},
		[]string{"Harbour plans approved", "> Good news for the town.", "Hello Jo"}},
	{masthead.EmailCommentRejected, map[string]string{
		"story_headline": "Harbour plans approved", "story_slug": "harbour-plans", "excerpt": "You are all idiots.",
		"reason": "Personal attacks are not allowed."},
		[]string{"https://news.example/stories/harbour-plans#comments"},
		[]string{"> Personal attacks are not allowed.", "> You are all idiots.", "not to publish"}},
	{masthead.EmailAccountWarned, map[string]string{"reason": "Stay on topic, please."},
		[]string{"https://news.example/"},
		[]string{"> Stay on topic, please.", "acknowledge"}},
	{masthead.EmailAccountSuspended, map[string]string{"reason": "Repeated insults.", "until": "2026-03-08T09:30:00Z"},
		nil,
		[]string{"> Repeated insults.", "8 March 2026, 18:30 JST"}},
	{masthead.EmailAccountBanned, map[string]string{"reason": "Spam, again."},
		nil,
		[]string{"> Spam, again.", "banned"}},
	{masthead.EmailDisplayNameReset, map[string]string{"reason": "Impersonates the editor.", "old_name": "The Edltor"},
		[]string{"https://news.example/account/profile"},
		[]string{"> Impersonates the editor.", "“The Edltor”"}},
}

func TestRenderModerationKinds(t *testing.T) {
	for _, c := range moderationKinds {
		t.Run(string(c.kind), func(t *testing.T) {
			msg, err := mmail.Render(testConfig(), outboxMessage(9, "reader@example.com", c))
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if !strings.Contains(msg.Subject, "The Daily Example") {
				t.Errorf("Subject = %q, want the site name in it", msg.Subject)
			}
			if h := c.data["story_headline"]; h != "" && !strings.Contains(msg.Subject, h) {
				t.Errorf("Subject = %q, want the headline %q in it", msg.Subject, h)
			}
			for _, link := range c.links {
				if !strings.Contains(msg.Text, "\n"+link+"\n") {
					t.Errorf("text part lacks the link %s on a line of its own:\n%s", link, msg.Text)
				}
				if !strings.Contains(msg.HTML, `href="`+link+`"`) {
					t.Errorf("HTML part lacks a link to %s:\n%s", link, msg.HTML)
				}
			}
			for _, s := range c.more {
				if !strings.Contains(msg.Text, s) {
					t.Errorf("text part lacks %q:\n%s", s, msg.Text)
				}
			}
			if r := c.data["reason"]; r != "" && !strings.Contains(msg.HTML, r) {
				t.Errorf("HTML part lacks the reason %q:\n%s", r, msg.HTML)
			}
			checkResolved(t, "subject", msg.Subject)
			checkResolved(t, "text part", msg.Text)
			checkResolved(t, "HTML part", msg.HTML)
			if _, ok := msg.Headers["List-Unsubscribe"]; ok {
				t.Errorf("a moderation email has a List-Unsubscribe header")
			}
		})
	}
}

func TestRenderModerationStoryURL(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want string
	}{
		{"on the site", "https://news.example/stories/harbour-plans", "https://news.example/stories/harbour-plans#comments"},
		{"with its own fragment", "https://news.example/stories/harbour-plans#comment-7", "https://news.example/stories/harbour-plans#comment-7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &masthead.OutboxMessage{ID: 1, Kind: masthead.EmailCommentApproved, To: "a@example.com",
				Data: map[string]string{"story_headline": "H", "story_url": tt.url}}
			msg, err := mmail.Render(testConfig(), m)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if !strings.Contains(msg.Text, "\n"+tt.want+"\n") {
				t.Errorf("text part lacks %s:\n%s", tt.want, msg.Text)
			}
		})
	}
}

func TestRenderModerationEscapes(t *testing.T) {
	m := &masthead.OutboxMessage{ID: 1, Kind: masthead.EmailCommentRejected, To: "a@example.com",
		Data: map[string]string{"story_headline": "<b>Big</b>\r\nBcc: x@example.com", "story_slug": "s",
			"excerpt": "<script>alert(1)</script>", "reason": "<img src=x onerror=alert(1)>\nInjected line"}}
	msg, err := mmail.Render(testConfig(), m)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	for _, bad := range []string{"<script", "<img", "<b>"} {
		if strings.Contains(msg.HTML, bad) {
			t.Errorf("HTML part contains unescaped %q", bad)
		}
	}
	if strings.ContainsAny(msg.Subject, "\r\n") {
		t.Errorf("Subject holds a line break: %q", msg.Subject)
	}
	if strings.Contains(msg.Text, "\nInjected line") {
		t.Errorf("a reason started a line of its own in the text part:\n%s", msg.Text)
	}
}

func TestRenderModerationErrors(t *testing.T) {
	story := func(extra map[string]string) map[string]string {
		d := map[string]string{"story_headline": "H", "story_slug": "s", "reason": "r"}
		for k, v := range extra {
			if v == "" {
				delete(d, k)
			} else {
				d[k] = v
			}
		}
		return d
	}
	tests := []struct {
		name string
		kind masthead.EmailKind
		data map[string]string
	}{
		{"approved without headline", masthead.EmailCommentApproved, story(map[string]string{"story_headline": ""})},
		{"approved without story", masthead.EmailCommentApproved, story(map[string]string{"story_slug": ""})},
		{"story URL elsewhere", masthead.EmailCommentApproved, story(map[string]string{"story_slug": "", "story_url": "https://evil.example/x"})},
		{"story URL that climbs out", masthead.EmailCommentApproved, story(map[string]string{"story_slug": "", "story_url": "https://news.example//evil.example"})},
		{"rejected without reason", masthead.EmailCommentRejected, story(map[string]string{"reason": ""})},
		{"warned without reason", masthead.EmailAccountWarned, nil},
		{"suspended without end", masthead.EmailAccountSuspended, map[string]string{"reason": "r"}},
		{"suspended with a bad end", masthead.EmailAccountSuspended, map[string]string{"reason": "r", "until": "next week"}},
		{"banned without reason", masthead.EmailAccountBanned, nil},
		{"name reset without the name", masthead.EmailDisplayNameReset, map[string]string{"reason": "r"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &masthead.OutboxMessage{ID: 1, Kind: tt.kind, To: "a@example.com", Data: tt.data}
			msg, err := mmail.Render(testConfig(), m)
			if err == nil {
				t.Fatalf("Render = %+v, want an error", msg)
			}
			if !errors.Is(err, mmail.ErrPermanent) {
				t.Errorf("Render error %q is not permanent", err)
			}
		})
	}
}
