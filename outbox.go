package masthead

import (
	"context"
	"time"
)

// EmailKind names one kind of message masthead sends. The mail adapter
// renders each kind from the message catalogue when it sends it.
type EmailKind string

// The kinds of email about accounts.
const (
	// EmailVerify carries a verification link (Data "token").
	EmailVerify EmailKind = "verify_email"
	// EmailSignUpExisting tells an account's owner that someone tried to
	// sign up with their address, with a sign-in and a reset link.
	EmailSignUpExisting EmailKind = "sign_up_existing"
	// EmailPasswordReset carries a reset link (Data "token").
	EmailPasswordReset EmailKind = "password_reset"
	// EmailPasswordChanged tells the owner their password changed.
	EmailPasswordChanged EmailKind = "password_changed"
	// EmailChangeConfirm goes to a new address with a confirmation link
	// (Data "token").
	EmailChangeConfirm EmailKind = "email_change_confirm"
	// EmailChangeNotice tells the old address about the change (Data
	// "new_email").
	EmailChangeNotice EmailKind = "email_change_notice"
	// EmailDeletionScheduled confirms a deletion request (Data "due", an
	// RFC 3339 time).
	EmailDeletionScheduled EmailKind = "deletion_scheduled"
)

// The kinds of email about comments.
const (
	// EmailCommentReply tells a comment's author of replies to it by
	// others, at most one per thread an hour (Data: the ReplyData keys
	// in notification.go).
	EmailCommentReply EmailKind = "comment_reply"
)

// The kinds of email about moderation. Their Data: "story_headline",
// "story_slug" (the mail adapter builds the link), "excerpt" and "reason"
// for the comment kinds; "reason" for the account kinds, with "until"
// (RFC 3339) for a suspension.
const (
	// EmailCommentApproved tells a commenter their held comment is
	// published.
	EmailCommentApproved EmailKind = "comment_approved"
	// EmailCommentRejected tells a commenter their comment was rejected,
	// and why.
	EmailCommentRejected EmailKind = "comment_rejected"
	// EmailAccountWarned, EmailAccountSuspended and EmailAccountBanned
	// tell a subscriber of a moderator's action, and why.
	EmailAccountWarned    EmailKind = "account_warned"
	EmailAccountSuspended EmailKind = "account_suspended"
	EmailAccountBanned    EmailKind = "account_banned"
)

// OutboxMessage is an email waiting in the outbox. Data holds what its kind
// needs (a token, a name); it is cleared once the message is sent, so that
// tokens do not stay in the database.
type OutboxMessage struct {
	ID        int64
	Kind      EmailKind
	To        string
	Data      map[string]string
	Attempts  int
	CreatedAt time.Time
}

// OutboxService is the queue of outgoing email. Any number of senders (one
// per instance) can work the queue at once: a claimed message is leased to
// one of them until the lease ends.
type OutboxService interface {
	// ClaimOutbox leases up to n messages that are due for sending, for
	// lease, and returns them oldest first.
	ClaimOutbox(ctx context.Context, n int, lease time.Duration) ([]*OutboxMessage, error)
	// MarkSent records that a message was sent and clears its data.
	MarkSent(ctx context.Context, id int64) error
	// MarkFailed records a failed attempt. The message is tried again at
	// retryAt; a zero retryAt gives up on it (it stays, marked failed, for
	// an operator to see).
	MarkFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error
}
