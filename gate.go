package masthead

import "time"

// GateReason is why a viewer may not comment on a story, or "" when they
// may. Its values are the JSON API's error codes.
type GateReason string

// The commenting gate's reasons, in the order the gate checks them.
const (
	GateAllowed             GateReason = ""
	GateCommentsClosed      GateReason = "comments_closed"
	GateSignedOut           GateReason = "signed_out"
	GateStoryNotReadable    GateReason = "story_not_readable"
	GatePlanLacksCommenting GateReason = "plan_lacks_commenting"
	GateSuspended           GateReason = "commenting_suspended"
	GateEmailUnverified     GateReason = "email_unverified"
	GateDisplayNameRequired GateReason = "display_name_required"
)

// Sanction is a moderator's suspension or ban of an account's commenting.
type Sanction struct {
	// Banned is permanent; otherwise commenting is suspended until Until.
	Banned bool
	Until  time.Time
	// Reason is the moderator's reason, shown to the subscriber.
	Reason string
}

// Active reports whether the sanction stops commenting at now.
func (s *Sanction) Active(now time.Time) bool {
	return s != nil && (s.Banned || now.Before(s.Until))
}

// decision is the gate's refusal for the sanction, with its date and
// reason.
func (s *Sanction) decision() GateDecision {
	d := GateDecision{Reason: GateSuspended, Sanction: new(*s)}
	if s.Banned {
		d.Message = Msg(MsgGateBanned, s.Reason)
	} else {
		d.Message = Msg(MsgGateSuspended, s.Until.UTC().Format("2 January 2006, 15:04 MST"), s.Reason)
	}
	return d
}

// Refusal returns the gate's refusal for an active sanction (an *Error
// whose Code is GateSuspended), or nil when it does not stop commenting
// at now. Respecting and reporting comments are refused alike: a
// suspended or banned subscriber takes no part in the discussion.
func (s *Sanction) Refusal(now time.Time) error {
	if !s.Active(now) {
		return nil
	}
	return s.decision().GateError()
}

// GateInput is everything the commenting gate looks at.
type GateInput struct {
	// CommentsEnabled is the site-wide switch.
	CommentsEnabled bool
	// AutoCloseDays is the commenting policy's automatic closing: comments
	// close this many days after publication, unless the story sets its
	// own CommentsCloseDays (see Story.CommentsCloseAt); 0 never.
	AutoCloseDays int
	Story         *Story
	// Viewer is nil for a signed-out reader.
	Viewer *Account
	// CanRead is whether the viewer may read the story now (DecideRead,
	// without counting a new read).
	CanRead bool
	// Entitlements are those of the viewer's effective plan.
	Entitlements Entitlements
	// Sanction is the viewer's suspension or ban, if any.
	Sanction *Sanction
}

// GateDecision is the gate's answer.
type GateDecision struct {
	Allowed bool
	Reason  GateReason
	// Message is the sentence shown instead of the comment box (and the
	// API error's message).
	Message string
	// Sanction is set for GateSuspended, for its date and reason.
	Sanction *Sanction
}

// CommentGate decides whether the viewer may comment on the story at now:
// yes, or exactly one reason, checked in the product's order. It is the
// one rule for pages, the API and the write path, which applies it in the
// transaction that stores the comment.
func CommentGate(in GateInput, now time.Time) GateDecision {
	deny := func(r GateReason, msg string) GateDecision {
		return GateDecision{Reason: r, Message: msg}
	}
	switch {
	case !in.CommentsEnabled || in.Story == nil || in.Story.Comments != CommentsOpen:
		return deny(GateCommentsClosed, Msg(MsgGateCommentsClosed))
	case closedByTime(in.Story.CommentsCloseAt(in.AutoCloseDays), now):
		return deny(GateCommentsClosed, Msg(MsgGateCommentsClosed))
	case in.Viewer == nil:
		return deny(GateSignedOut, Msg(MsgGateSignedOut))
	case !in.CanRead:
		return deny(GateStoryNotReadable, Msg(MsgGateStoryNotReadable))
	case !in.Entitlements.Comment:
		return deny(GatePlanLacksCommenting, Msg(MsgGatePlanLacksCommenting))
	case in.Sanction.Active(now):
		return in.Sanction.decision()
	case !in.Viewer.EmailVerified():
		return deny(GateEmailUnverified, Msg(MsgGateEmailUnverified))
	case in.Viewer.DisplayName == "":
		return deny(GateDisplayNameRequired, Msg(MsgGateDisplayNameRequired))
	}
	return GateDecision{Allowed: true}
}

// GateError returns the gate's refusal as an application error whose code
// is the reason and whose message is the sentence; nil when allowed.
func (d GateDecision) GateError() error {
	if d.Allowed {
		return nil
	}
	return &Error{Code: string(d.Reason), Message: d.Message}
}

// closedByTime reports whether comments that close at closeAt (zero:
// never) are closed at now.
func closedByTime(closeAt, now time.Time) bool {
	return !closeAt.IsZero() && !now.Before(closeAt)
}
