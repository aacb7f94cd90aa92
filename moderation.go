package masthead

import (
	"context"
	"time"
)

// Premoderation says which new comments wait for a moderator before they
// are published.
type Premoderation string

// Pre-moderation modes. Whatever the mode, a story can be pre-moderated on
// its own (Story.Premoderated), new commenters are held until they have
// CommentPolicy.NewCommenterApprovals approved comments, comments with
// links may be held, and suspect words hold a comment.
const (
	// PremoderationOff publishes comments at once (post-moderation).
	PremoderationOff Premoderation = "off"
	// PremoderationAll holds every comment for review.
	PremoderationAll Premoderation = "all"
)

// Valid reports whether p is a known mode.
func (p Premoderation) Valid() bool { return p == PremoderationOff || p == PremoderationAll }

// CommentPolicy is the site's commenting policy, set by administrators in
// /admin/settings and kept in the database, so that every instance applies
// the same one. The comment service reads it in the transaction that
// stores a comment.
type CommentPolicy struct {
	// Enabled turns commenting on or off site-wide (existing comments stay
	// readable).
	Enabled bool `json:"enabled"`
	// Premoderation holds every comment when PremoderationAll.
	Premoderation Premoderation `json:"premoderation"`
	// NewCommenterApprovals holds a subscriber's comments until this many
	// of theirs have been published; 0 turns it off.
	NewCommenterApprovals int `json:"new_commenter_approvals"`
	// HoldLinks holds comments that contain a link.
	HoldLinks bool `json:"hold_links"`
	// BannedWords refuse a comment, with a message to the commenter;
	// SuspectWords hold it for review. Both match on normalised text
	// (see MatchWords), so spacing and look-alike letters don't slip
	// through.
	BannedWords  []string `json:"banned_words"`
	SuspectWords []string `json:"suspect_words"`
	// EditWindow is how long an author may edit a comment.
	EditWindow time.Duration `json:"edit_window"`
	// AutoCloseDays closes comments on a story this many days after it is
	// published, unless the story sets its own; 0 never closes them.
	AutoCloseDays int `json:"auto_close_days"`
}

// DefaultCommentPolicy returns the policy of a new site: comments on,
// post-moderation, no word lists, the settings' edit window.
func DefaultCommentPolicy(s CommentSettings) CommentPolicy {
	return CommentPolicy{Enabled: s.Enabled, Premoderation: PremoderationOff, EditWindow: s.EditWindow}
}

// PolicyService keeps the site's commenting policy.
type PolicyService interface {
	// CommentPolicy returns the policy in force (the default until an
	// administrator saves one). Implementations may cache it for a
	// second, and may share its word lists between callers: they are
	// read-only.
	CommentPolicy(ctx context.Context) (*CommentPolicy, error)
	// SetCommentPolicy validates and saves the policy, with its audit
	// entry (PermSettings).
	SetCommentPolicy(ctx context.Context, actor Actor, p CommentPolicy) error
}

// ModerationQueue names a moderation queue.
type ModerationQueue string

// The moderation queues.
const (
	// QueuePending holds comments waiting for approval, oldest first.
	QueuePending ModerationQueue = "pending"
	// QueueReported holds published comments with reports not yet
	// dealt with, most reported first.
	QueueReported ModerationQueue = "reported"
	// QueueRejected holds rejected comments, newest first.
	QueueRejected ModerationQueue = "rejected"
	// QueueRecent holds every comment, newest first.
	QueueRecent ModerationQueue = "recent"
)

// Valid reports whether q is a known queue.
func (q ModerationQueue) Valid() bool {
	return q == QueuePending || q == QueueReported || q == QueueRejected || q == QueueRecent
}

// ModerationAction is what a moderator does to a comment.
type ModerationAction string

// Moderation actions on comments.
const (
	ModApprove   ModerationAction = "approve"
	ModReject    ModerationAction = "reject"
	ModFeature   ModerationAction = "feature"
	ModUnfeature ModerationAction = "unfeature"
	// ModRestore returns a rejected comment to publication.
	ModRestore ModerationAction = "restore"
)

// Valid reports whether a is a known action.
func (a ModerationAction) Valid() bool {
	switch a {
	case ModApprove, ModReject, ModFeature, ModUnfeature, ModRestore:
		return true
	}
	return false
}

// CommentReport is one subscriber's report of a comment.
type CommentReport struct {
	ReporterID   int64
	ReporterName string
	Reason       string // spam, abuse, off_topic, other
	Text         string
	At           time.Time
}

// ModerationItem is a comment in a queue, in its context.
type ModerationItem struct {
	Comment *Comment
	// StorySlug and StoryHeadline name the story it is under.
	StorySlug     string
	StoryHeadline string
	// Parent is the comment it replies to, or nil.
	Parent *Comment
	// Reports are the comment's reports, newest first.
	Reports []CommentReport
	// HoldReason says why it was held ("premoderation", "new_commenter",
	// "link", "suspect_word", "story"), for pending comments.
	HoldReason string
	// RejectReason is the moderator's reason, for rejected comments.
	RejectReason string
}

// QueueFilter selects a page of a queue.
type QueueFilter struct {
	Queue ModerationQueue
	// After is the cursor of the previous page's last item ("" first).
	After string
	Limit int
}

// QueuePage is a page of a moderation queue.
type QueuePage struct {
	Items []*ModerationItem
	Next  string
}

// QueueCounts are the sizes of the queues that need a moderator.
type QueueCounts struct {
	Pending  int `json:"pending"`
	Reported int `json:"reported"`
}

// ModerationService is the moderators' work on comments. Every write
// checks PermModerate, keeps the stories' and threads' counts right,
// emits the live-update events, queues the commenter's email (approved or
// rejected, for held comments) and writes an audit entry per comment, in
// one transaction.
type ModerationService interface {
	FindQueue(ctx context.Context, f QueueFilter) (*QueuePage, error)
	QueueCounts(ctx context.Context) (QueueCounts, error)
	// Moderate applies the action to every comment of ids; reason is
	// required for ModReject.
	Moderate(ctx context.Context, actor Actor, ids []int64, action ModerationAction, reason string) error
}

// UserAction is what a moderator does to a subscriber.
type UserAction string

// User actions. Each takes a reason, which the subscriber sees.
const (
	// UserWarn leaves a message the subscriber must acknowledge on their
	// next visit.
	UserWarn UserAction = "warn"
	// UserSuspend stops commenting for a number of days.
	UserSuspend UserAction = "suspend"
	// UserBan stops commenting for good.
	UserBan UserAction = "ban"
	// UserLift ends a suspension or ban.
	UserLift UserAction = "lift"
	// UserResetName removes the display name (it stays in the history
	// and cannot be chosen again), sending the subscriber back to the
	// gate's display-name sentence.
	UserResetName UserAction = "reset_display_name"
)

// Valid reports whether a is a known action.
func (a UserAction) Valid() bool {
	switch a {
	case UserWarn, UserSuspend, UserBan, UserLift, UserResetName:
		return true
	}
	return false
}

// Warning is a moderator's warning to a subscriber.
type Warning struct {
	ID             int64
	Reason         string
	CreatedAt      time.Time
	AcknowledgedAt time.Time // zero until the subscriber acknowledges it
}

// StaffActionRecord is an earlier staff action on an account, for its
// history.
type StaffActionRecord struct {
	Action string
	Reason string
	By     string
	At     time.Time
}

// AuthorHistory is what a moderator sees about a commenter.
type AuthorHistory struct {
	Account   *Account
	Names     []NameChange
	Published int
	Pending   int
	Rejected  int
	Sanction  *Sanction
	Warnings  []Warning
	Actions   []StaffActionRecord
}

// UserActionInput is one user action.
type UserActionInput struct {
	AccountID int64
	Action    UserAction
	Reason    string
	// Days is the length of a suspension.
	Days int
}

// UserService is the moderators' actions on subscribers (PermUsers). Each
// writes its audit entry and queues the subscriber's email (warned,
// suspended, banned) in one transaction.
type UserService interface {
	ActOnUser(ctx context.Context, actor Actor, in UserActionInput) error
	// AuthorHistory returns one account's history, or ENOTFOUND.
	AuthorHistory(ctx context.Context, accountID int64) (*AuthorHistory, error)
	// AuthorHistories returns the histories of the accounts of ids, by
	// ID, in a fixed number of queries whatever their number (for a page
	// of a moderation queue); an account that does not exist or was
	// deleted has none in the map.
	AuthorHistories(ctx context.Context, ids []int64) (map[int64]*AuthorHistory, error)
	// FindUsers returns up to limit live accounts whose email address or
	// display name matches q, for the staff's user search.
	FindUsers(ctx context.Context, q string, limit int) ([]*Account, error)
	// UserSettings returns the limits the service applies, with the
	// defaults filled in, for the forms that state them.
	UserSettings() UserSettings
	// PendingWarning returns the account's oldest unacknowledged warning,
	// or ENOTFOUND.
	PendingWarning(ctx context.Context, accountID int64) (*Warning, error)
	// AcknowledgeWarning records that the subscriber read the warning.
	AcknowledgeWarning(ctx context.Context, accountID, warningID int64) error
}
