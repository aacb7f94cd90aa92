package masthead_test

import (
	"strings"
	"testing"
	"time"

	"masthead"
)

func TestModerateComment(t *testing.T) {
	base := masthead.CommentPolicy{
		Enabled:       true,
		Premoderation: masthead.PremoderationOff,
		BannedWords:   []string{"idiot"},
		SuspectWords:  []string{"scam"},
		EditWindow:    5 * time.Minute,
	}
	tests := []struct {
		name   string
		policy func(p *masthead.CommentPolicy)
		in     masthead.ModerationInput
		action masthead.VerdictAction
		reason string
	}{
		{"clean comment publishes", nil, masthead.ModerationInput{Body: "A fine piece."},
			masthead.VerdictPublish, ""},
		{"banned word refuses", nil, masthead.ModerationInput{Body: "You 1d10t."},
			masthead.VerdictRefuse, ""},
		{"banned word refuses staff too", nil, masthead.ModerationInput{Body: "idiot", AuthorStaff: true},
			masthead.VerdictRefuse, ""},
		{"banned beats every hold", func(p *masthead.CommentPolicy) { p.Premoderation = masthead.PremoderationAll },
			masthead.ModerationInput{Body: "scam by an idiot"}, masthead.VerdictRefuse, ""},
		{"suspect word holds", nil, masthead.ModerationInput{Body: "This is a s c a m"},
			masthead.VerdictHold, masthead.HoldSuspectWord},
		{"link held when the policy holds links", func(p *masthead.CommentPolicy) { p.HoldLinks = true },
			masthead.ModerationInput{Body: "See https://example.com/x"}, masthead.VerdictHold, masthead.HoldLink},
		{"bare domain is a link", func(p *masthead.CommentPolicy) { p.HoldLinks = true },
			masthead.ModerationInput{Body: "buy at cheap-pills.xyz today"}, masthead.VerdictHold, masthead.HoldLink},
		{"link published when links are not held", nil,
			masthead.ModerationInput{Body: "See https://example.com/x"}, masthead.VerdictPublish, ""},
		{"no link in a sentence with a full stop", func(p *masthead.CommentPolicy) { p.HoldLinks = true },
			masthead.ModerationInput{Body: "I agree.Mostly."}, masthead.VerdictPublish, ""},
		{"site pre-moderation holds", func(p *masthead.CommentPolicy) { p.Premoderation = masthead.PremoderationAll },
			masthead.ModerationInput{Body: "Hello"}, masthead.VerdictHold, masthead.HoldPremoderation},
		{"story pre-moderation holds", nil,
			masthead.ModerationInput{Body: "Hello", StoryPremoderated: true}, masthead.VerdictHold, masthead.HoldStory},
		{"suspect word is the reason over pre-moderation", func(p *masthead.CommentPolicy) { p.Premoderation = masthead.PremoderationAll },
			masthead.ModerationInput{Body: "scam"}, masthead.VerdictHold, masthead.HoldSuspectWord},
		{"new commenter held", func(p *masthead.CommentPolicy) { p.NewCommenterApprovals = 2 },
			masthead.ModerationInput{Body: "Hello", AuthorPublished: 1}, masthead.VerdictHold, masthead.HoldNewCommenter},
		{"new-commenter hold lifts at K", func(p *masthead.CommentPolicy) { p.NewCommenterApprovals = 2 },
			masthead.ModerationInput{Body: "Hello", AuthorPublished: 2}, masthead.VerdictPublish, ""},
		{"new-commenter rule not applied to edits", func(p *masthead.CommentPolicy) { p.NewCommenterApprovals = 2 },
			masthead.ModerationInput{Body: "Hello", Edit: true}, masthead.VerdictPublish, ""},
		{"edit with a suspect word held", nil,
			masthead.ModerationInput{Body: "scam", Edit: true}, masthead.VerdictHold, masthead.HoldSuspectWord},
		{"staff never held", func(p *masthead.CommentPolicy) { p.Premoderation = masthead.PremoderationAll },
			masthead.ModerationInput{Body: "scam", AuthorStaff: true, StoryPremoderated: true}, masthead.VerdictPublish, ""},
		{"precompiled lists win", nil,
			masthead.ModerationInput{Body: "Hello", Banned: masthead.CompileWords([]string{"hello"})},
			masthead.VerdictRefuse, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			if tt.policy != nil {
				tt.policy(&p)
			}
			in := tt.in
			in.Policy = p
			v := masthead.ModerateComment(in)
			if got, want := v.Action, tt.action; got != want {
				t.Fatalf("ModerateComment(%q).Action = %q, want %q", in.Body, got, want)
			}
			if got, want := v.HoldReason, tt.reason; got != want {
				t.Errorf("HoldReason = %q, want %q", got, want)
			}
			err := v.Err()
			if tt.action != masthead.VerdictRefuse {
				if err != nil {
					t.Errorf("Err() = %v, want nil", err)
				}
				return
			}
			if got, want := masthead.ErrorField(err), "body"; got != want {
				t.Errorf("refusal field = %q, want %q", got, want)
			}
			if got, want := masthead.ErrorCode(err), masthead.EINVALID; got != want {
				t.Errorf("refusal code = %q, want %q", got, want)
			}
			msg := masthead.ErrorMessage(err)
			if !strings.Contains(msg, v.Match.Text) || v.Match.Text == "" {
				t.Errorf("refusal %q does not quote the match %q", msg, v.Match.Text)
			}
			if strings.Contains(strings.ToLower(msg), "list") {
				t.Errorf("refusal %q mentions the word lists", msg)
			}
		})
	}
}

func TestCommentPolicyValidate(t *testing.T) {
	valid := func() masthead.CommentPolicy {
		return masthead.CommentPolicy{Enabled: true, Premoderation: masthead.PremoderationOff,
			NewCommenterApprovals: 3, EditWindow: 10 * time.Minute, AutoCloseDays: 30,
			BannedWords: []string{"idiot"}, SuspectWords: []string{"scam"}}
	}
	tests := []struct {
		name   string
		break_ func(p *masthead.CommentPolicy)
		field  string
	}{
		{"valid", func(*masthead.CommentPolicy) {}, ""},
		{"zero edit window", func(p *masthead.CommentPolicy) { p.EditWindow = 0 }, ""},
		{"unknown mode", func(p *masthead.CommentPolicy) { p.Premoderation = "some" }, "premoderation"},
		{"negative approvals", func(p *masthead.CommentPolicy) { p.NewCommenterApprovals = -1 }, "new_commenter_approvals"},
		{"too many approvals", func(p *masthead.CommentPolicy) { p.NewCommenterApprovals = masthead.MaxNewCommenterApprovals + 1 }, "new_commenter_approvals"},
		{"edit window too long", func(p *masthead.CommentPolicy) { p.EditWindow = 25 * time.Hour }, "edit_window"},
		{"edit window not whole minutes", func(p *masthead.CommentPolicy) { p.EditWindow = 90 * time.Second }, "edit_window"},
		{"negative auto-close", func(p *masthead.CommentPolicy) { p.AutoCloseDays = -1 }, "auto_close_days"},
		{"word too long", func(p *masthead.CommentPolicy) {
			p.BannedWords = []string{strings.Repeat("a", masthead.MaxPolicyWordLen+1)}
		}, "banned_words"},
		{"word without letters", func(p *masthead.CommentPolicy) { p.SuspectWords = []string{"!!!"} }, "suspect_words"},
		{"too many words", func(p *masthead.CommentPolicy) {
			p.BannedWords = make([]string, masthead.MaxPolicyWords+1)
			for i := range p.BannedWords {
				p.BannedWords[i] = "w"
			}
		}, "banned_words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.break_(&p)
			err := p.Validate()
			if got, want := masthead.ErrorField(err), tt.field; got != want {
				t.Errorf("Validate() = %v (field %q), want field %q", err, got, want)
			}
			if tt.field != "" && masthead.ErrorCode(err) != masthead.EINVALID {
				t.Errorf("Validate() code = %q, want EINVALID", masthead.ErrorCode(err))
			}
		})
	}
}

func TestCommentPolicyNormalize(t *testing.T) {
	p := masthead.CommentPolicy{BannedWords: []string{" idiot ", "", "IDIOT"}, SuspectWords: []string{"scam  artist"}}
	p.Normalize()
	if got, want := p.Premoderation, masthead.PremoderationOff; got != want {
		t.Errorf("Premoderation = %q, want %q", got, want)
	}
	if got, want := strings.Join(p.BannedWords, "|"), "idiot"; got != want {
		t.Errorf("BannedWords = %q, want %q", got, want)
	}
	if got, want := strings.Join(p.SuspectWords, "|"), "scam artist"; got != want {
		t.Errorf("SuspectWords = %q, want %q", got, want)
	}
}

func TestCommentGateAutoClose(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name      string
		published time.Duration // before gateNow
		storyDays int
		siteDays  int
		closed    bool
	}{
		{"never closes", 400 * day, 0, 0, false},
		{"site closes after N days", 31 * day, 0, 30, true},
		{"site: not yet", 29 * day, 0, 30, false},
		{"site: exactly at N days", 30 * day, 0, 30, true},
		{"story's own days win over the site's", 10 * day, 7, 30, true},
		{"story's own days keep it open longer", 31 * day, 60, 30, false},
		{"story closes with the site off", 8 * day, 7, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := gateAllowedInput()
			in.Story.PublishedAt = gateNow.Add(-tt.published)
			in.Story.CommentsCloseDays = tt.storyDays
			in.AutoCloseDays = tt.siteDays
			d := masthead.CommentGate(in, gateNow)
			if got, want := d.Reason == masthead.GateCommentsClosed, tt.closed; got != want {
				t.Errorf("closed = %v (reason %q), want %v", got, d.Reason, want)
			}
			if tt.closed && d.Message != masthead.Msg(masthead.MsgGateCommentsClosed) {
				t.Errorf("Message = %q, want the closed sentence", d.Message)
			}
		})
	}
	// Closing by time comes first, as closed comments do: a signed-out
	// reader is told comments are closed.
	in := gateAllowedInput()
	in.Viewer = nil
	in.Story.PublishedAt = gateNow.Add(-40 * day)
	in.AutoCloseDays = 30
	if got, want := masthead.CommentGate(in, gateNow).Reason, masthead.GateCommentsClosed; got != want {
		t.Errorf("signed out on an old story: reason %q, want %q", got, want)
	}
}
