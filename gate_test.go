package masthead_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/seedtest"
)

var gateNow = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// gateAllowedInput returns an input that passes every check of the gate,
// built afresh so that a case may change it.
func gateAllowedInput() masthead.GateInput {
	return masthead.GateInput{
		CommentsEnabled: true,
		Story:           &masthead.Story{ID: 7, Slug: "a-story", Comments: masthead.CommentsOpen},
		Viewer: &masthead.Account{
			ID:              1,
			Email:           "reader@example.com",
			EmailVerifiedAt: gateNow.Add(-48 * time.Hour),
			DisplayName:     "Reader",
		},
		CanRead:      true,
		Entitlements: masthead.Entitlements{Comment: true, MeteredPerMonth: 10},
	}
}

// gateBreaker makes an input fail one check of the gate.
type gateBreaker struct {
	name   string
	reason masthead.GateReason
	msg    masthead.MessageID
	apply  func(in *masthead.GateInput)
}

// gateBreakers are in PRODUCT.md's order ("The commenting gate").
var gateBreakers = []gateBreaker{
	{"closed", masthead.GateCommentsClosed, masthead.MsgGateCommentsClosed,
		func(in *masthead.GateInput) { in.Story.Comments = masthead.CommentsClosed }},
	{"signed-out", masthead.GateSignedOut, masthead.MsgGateSignedOut,
		func(in *masthead.GateInput) { in.Viewer = nil }},
	{"not-readable", masthead.GateStoryNotReadable, masthead.MsgGateStoryNotReadable,
		func(in *masthead.GateInput) { in.CanRead = false }},
	{"plan", masthead.GatePlanLacksCommenting, masthead.MsgGatePlanLacksCommenting,
		func(in *masthead.GateInput) { in.Entitlements.Comment = false }},
	{"suspended", masthead.GateSuspended, "",
		func(in *masthead.GateInput) {
			in.Sanction = &masthead.Sanction{Until: gateNow.Add(72 * time.Hour), Reason: "Personal attacks."}
		}},
	{"unverified", masthead.GateEmailUnverified, masthead.MsgGateEmailUnverified,
		func(in *masthead.GateInput) {
			if in.Viewer != nil {
				in.Viewer.EmailVerifiedAt = time.Time{}
			}
		}},
	{"no-display-name", masthead.GateDisplayNameRequired, masthead.MsgGateDisplayNameRequired,
		func(in *masthead.GateInput) {
			if in.Viewer != nil {
				in.Viewer.DisplayName = ""
			}
		}},
}

func TestCommentGateReasonCodes(t *testing.T) {
	// The reasons are the JSON API's error codes, as the issue lists them.
	tests := []struct {
		reason masthead.GateReason
		want   string
	}{
		{masthead.GateAllowed, ""},
		{masthead.GateCommentsClosed, "comments_closed"},
		{masthead.GateSignedOut, "signed_out"},
		{masthead.GateStoryNotReadable, "story_not_readable"},
		{masthead.GatePlanLacksCommenting, "plan_lacks_commenting"},
		{masthead.GateSuspended, "commenting_suspended"},
		{masthead.GateEmailUnverified, "email_unverified"},
		{masthead.GateDisplayNameRequired, "display_name_required"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := string(tt.reason); got != tt.want {
				t.Errorf("reason = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCommentGateAllowed(t *testing.T) {
	got := masthead.CommentGate(gateAllowedInput(), gateNow)
	if !got.Allowed || got.Reason != masthead.GateAllowed || got.Message != "" || got.Sanction != nil {
		t.Errorf("CommentGate = %+v, want allowed with no reason, message or sanction", got)
	}
	if err := got.GateError(); err != nil {
		t.Errorf("GateError() = %v, want nil", err)
	}
}

// TestCommentGateEachReason fails exactly one check at a time.
func TestCommentGateEachReason(t *testing.T) {
	tests := []struct {
		name   string
		apply  func(in *masthead.GateInput)
		want   masthead.GateReason
		wantID masthead.MessageID
	}{
		{"comments disabled site-wide", func(in *masthead.GateInput) { in.CommentsEnabled = false },
			masthead.GateCommentsClosed, masthead.MsgGateCommentsClosed},
		{"comments closed on the story", func(in *masthead.GateInput) { in.Story.Comments = masthead.CommentsClosed },
			masthead.GateCommentsClosed, masthead.MsgGateCommentsClosed},
		{"story comments mode unset", func(in *masthead.GateInput) { in.Story.Comments = "" },
			masthead.GateCommentsClosed, masthead.MsgGateCommentsClosed},
		{"no story", func(in *masthead.GateInput) { in.Story = nil },
			masthead.GateCommentsClosed, masthead.MsgGateCommentsClosed},
		{"signed out", func(in *masthead.GateInput) { in.Viewer = nil },
			masthead.GateSignedOut, masthead.MsgGateSignedOut},
		{"cannot read the story", func(in *masthead.GateInput) { in.CanRead = false },
			masthead.GateStoryNotReadable, masthead.MsgGateStoryNotReadable},
		{"plan lacks commenting", func(in *masthead.GateInput) { in.Entitlements = masthead.Entitlements{ReadPremium: true} },
			masthead.GatePlanLacksCommenting, masthead.MsgGatePlanLacksCommenting},
		{"email unverified", func(in *masthead.GateInput) { in.Viewer.EmailVerifiedAt = time.Time{} },
			masthead.GateEmailUnverified, masthead.MsgGateEmailUnverified},
		{"no display name", func(in *masthead.GateInput) { in.Viewer.DisplayName = "" },
			masthead.GateDisplayNameRequired, masthead.MsgGateDisplayNameRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := gateAllowedInput()
			tt.apply(&in)
			got := masthead.CommentGate(in, gateNow)
			if got.Allowed {
				t.Fatalf("Allowed = true, want refused with %q", tt.want)
			}
			if got.Reason != tt.want {
				t.Errorf("Reason = %q, want %q", got.Reason, tt.want)
			}
			if want := masthead.Msg(tt.wantID); got.Message != want {
				t.Errorf("Message = %q, want %q", got.Message, want)
			}
			if got.Message == "" || got.Message == string(tt.wantID) {
				t.Errorf("Message = %q, want a sentence from the catalogue", got.Message)
			}
			if got.Sanction != nil {
				t.Errorf("Sanction = %+v, want nil for %q", got.Sanction, tt.want)
			}
		})
	}
}

// TestCommentGateOrder fails every combination of checks at once and
// expects the first in PRODUCT.md's order to win.
func TestCommentGateOrder(t *testing.T) {
	n := len(gateBreakers)
	for mask := 1; mask < 1<<n; mask++ {
		var names []string
		first := -1
		for i := range n {
			if mask&(1<<i) != 0 {
				names = append(names, gateBreakers[i].name)
				if first < 0 {
					first = i
				}
			}
		}
		t.Run(strings.Join(names, "+"), func(t *testing.T) {
			in := gateAllowedInput()
			for i := range n {
				if mask&(1<<i) != 0 {
					gateBreakers[i].apply(&in)
				}
			}
			got := masthead.CommentGate(in, gateNow)
			if want := gateBreakers[first].reason; got.Allowed || got.Reason != want {
				t.Errorf("CommentGate = (allowed %v, %q), want %q", got.Allowed, got.Reason, want)
			}
			if id := gateBreakers[first].msg; id != "" {
				if want := masthead.Msg(id); got.Message != want {
					t.Errorf("Message = %q, want %q", got.Message, want)
				}
			}
		})
	}
}

// TestCommentGateOrderChain spells out the product's order: each reason
// beats the one after it, with both failing.
func TestCommentGateOrderChain(t *testing.T) {
	tests := []struct {
		name         string
		first, other int
	}{
		{"closed beats signed-out", 0, 1},
		{"signed-out beats not-readable", 1, 2},
		{"not-readable beats plan", 2, 3},
		{"plan beats suspended", 3, 4},
		{"suspended beats unverified", 4, 5},
		{"unverified beats no-display-name", 5, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := gateAllowedInput()
			gateBreakers[tt.other].apply(&in)
			gateBreakers[tt.first].apply(&in)
			got := masthead.CommentGate(in, gateNow)
			if want := gateBreakers[tt.first].reason; got.Reason != want {
				t.Errorf("Reason = %q, want %q", got.Reason, want)
			}
		})
	}
}

func TestCommentGateSanction(t *testing.T) {
	until := gateNow.Add(36 * time.Hour)
	tests := []struct {
		name     string
		sanction *masthead.Sanction
		want     masthead.GateReason
		wantMsg  string
	}{
		{"no sanction", nil, masthead.GateAllowed, ""},
		{"zero sanction", &masthead.Sanction{}, masthead.GateAllowed, ""},
		{"suspended until a future date", &masthead.Sanction{Until: until, Reason: "Repeated spam."},
			masthead.GateSuspended,
			masthead.Msg(masthead.MsgGateSuspended, "15 March 2026, 21:30 UTC", "Repeated spam.")},
		{"suspended until a future date in another zone",
			&masthead.Sanction{Until: until.In(time.FixedZone("CET", 3600)), Reason: "Repeated spam."},
			masthead.GateSuspended,
			masthead.Msg(masthead.MsgGateSuspended, "15 March 2026, 21:30 UTC", "Repeated spam.")},
		{"suspension one second from ending", &masthead.Sanction{Until: gateNow.Add(time.Second), Reason: "r"},
			masthead.GateSuspended,
			masthead.Msg(masthead.MsgGateSuspended, "14 March 2026, 09:30 UTC", "r")},
		{"suspension ended in the past", &masthead.Sanction{Until: gateNow.Add(-time.Hour), Reason: "old"},
			masthead.GateAllowed, ""},
		{"suspension ending exactly now", &masthead.Sanction{Until: gateNow, Reason: "now"},
			masthead.GateAllowed, ""},
		{"banned", &masthead.Sanction{Banned: true, Reason: "Threats."},
			masthead.GateSuspended, masthead.Msg(masthead.MsgGateBanned, "Threats.")},
		{"banned with a past date", &masthead.Sanction{Banned: true, Until: gateNow.Add(-time.Hour), Reason: "Threats."},
			masthead.GateSuspended, masthead.Msg(masthead.MsgGateBanned, "Threats.")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := gateAllowedInput()
			in.Sanction = tt.sanction
			got := masthead.CommentGate(in, gateNow)
			if got.Reason != tt.want || got.Allowed != (tt.want == masthead.GateAllowed) {
				t.Fatalf("CommentGate = (allowed %v, %q), want %q", got.Allowed, got.Reason, tt.want)
			}
			if got.Message != tt.wantMsg {
				t.Errorf("Message = %q, want %q", got.Message, tt.wantMsg)
			}
			if tt.want == masthead.GateAllowed {
				if got.Sanction != nil {
					t.Errorf("Sanction = %+v, want nil", got.Sanction)
				}
				return
			}
			if got.Sanction == nil {
				t.Fatal("Sanction = nil, want the sanction for its date and reason")
			}
			if *got.Sanction != *tt.sanction {
				t.Errorf("Sanction = %+v, want %+v", *got.Sanction, *tt.sanction)
			}
			if got.Sanction == tt.sanction {
				t.Error("Sanction is the input's pointer, want a copy")
			}
			if !strings.Contains(got.Message, tt.sanction.Reason) {
				t.Errorf("Message = %q, want it to give the reason %q", got.Message, tt.sanction.Reason)
			}
		})
	}
}

func TestSanctionActive(t *testing.T) {
	tests := []struct {
		name string
		s    *masthead.Sanction
		want bool
	}{
		{"nil", nil, false},
		{"zero", &masthead.Sanction{}, false},
		{"future", &masthead.Sanction{Until: gateNow.Add(time.Minute)}, true},
		{"past", &masthead.Sanction{Until: gateNow.Add(-time.Minute)}, false},
		{"exactly now", &masthead.Sanction{Until: gateNow}, false},
		{"banned", &masthead.Sanction{Banned: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Active(gateNow); got != tt.want {
				t.Errorf("Active = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGateError(t *testing.T) {
	for i, b := range gateBreakers {
		t.Run(b.name, func(t *testing.T) {
			in := gateAllowedInput()
			b.apply(&in)
			d := masthead.CommentGate(in, gateNow)
			err := d.GateError()
			if err == nil {
				t.Fatal("GateError() = nil, want an error")
			}
			var e *masthead.Error
			if !errors.As(err, &e) {
				t.Fatalf("GateError() = %T, want *masthead.Error", err)
			}
			if got, want := e.Code, string(gateBreakers[i].reason); got != want {
				t.Errorf("Code = %q, want %q", got, want)
			}
			if e.Message != d.Message || e.Message == "" {
				t.Errorf("Message = %q, want the decision's sentence %q", e.Message, d.Message)
			}
			if got, want := masthead.ErrorCode(err), string(b.reason); got != want {
				t.Errorf("ErrorCode = %q, want %q", got, want)
			}
			if got := masthead.ErrorMessage(err); got != d.Message {
				t.Errorf("ErrorMessage = %q, want %q", got, d.Message)
			}
		})
	}
}

// TestGateDisplayNameSentence holds the display-name message to the
// sentence the product promises word for word: the last non-empty line of
// ../shared/seed/story.txt beside the module root.
func TestGateDisplayNameSentence(t *testing.T) {
	want := seedDisplayNameSentence(t)
	in := gateAllowedInput()
	in.Viewer.DisplayName = ""
	d := masthead.CommentGate(in, gateNow)
	if d.Reason != masthead.GateDisplayNameRequired {
		t.Fatalf("Reason = %q, want %q", d.Reason, masthead.GateDisplayNameRequired)
	}
	if d.Message != want {
		t.Errorf("Message differs from the seed sentence byte for byte:\n got: %q\nwant: %q", d.Message, want)
	}
	if got := masthead.ErrorMessage(d.GateError()); got != want {
		t.Errorf("GateError message = %q, want %q", got, want)
	}
	if got := masthead.Msg(masthead.MsgGateDisplayNameRequired); got != want {
		t.Errorf("catalogue entry = %q, want %q", got, want)
	}
}

// seedDisplayNameSentence returns the last non-empty line of the seed
// story: the sentence the newspaper's site showed.
func seedDisplayNameSentence(t *testing.T) string {
	t.Helper()
	return seedtest.LastLine(t)
}
