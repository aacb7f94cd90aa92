package masthead

import "context"

// The Data keys of an EmailCommentReply message. The paths are site paths
// (the mail adapter puts the site's base URL before them).
const (
	// ReplyDataHeadline is the headline of the story of the thread.
	ReplyDataHeadline = "headline"
	// ReplyDataStoryPath is the path of the story, such as "/stories/x".
	ReplyDataStoryPath = "story_path"
	// ReplyDataReplies is a JSON array of ReplyNotice, oldest first; it
	// holds at most MaxRepliesPerEmail of them.
	ReplyDataReplies = "replies"
	// ReplyDataCount is the number of replies the email tells of, in
	// decimal; it may exceed the length of ReplyDataReplies.
	ReplyDataCount = "count"
	// ReplyDataUnsubscribeToken is the secret of the email's one-click
	// unsubscribe link (see NotificationService.UnsubscribeReplies).
	ReplyDataUnsubscribeToken = "unsubscribe_token"
)

// MaxRepliesPerEmail is the most replies one reply email quotes; later
// ones in the same batch are only counted.
const MaxRepliesPerEmail = 20

// ReplyExcerptLength is the most characters of a reply an email quotes.
const ReplyExcerptLength = 200

// ReplyNotice is one reply as a reply email shows it.
type ReplyNotice struct {
	// Name is the display name of the reply's author.
	Name string `json:"name"`
	// Excerpt is the beginning of the reply, on one line.
	Excerpt string `json:"excerpt"`
	// Path is the reply's permalink on the site, such as "/comments/12".
	Path string `json:"path"`
}

// NotificationService manages what readers are told by email, for the
// links in those emails, which work without signing in.
type NotificationService interface {
	// UnsubscribeReplies turns reply emails off for the account that
	// token (from a reply email) was made for, and drops its reply emails
	// not yet sent. It may be used again while the token lasts, to no
	// further effect; an unknown or expired token is EINVALID.
	UnsubscribeReplies(ctx context.Context, token string) error
}
