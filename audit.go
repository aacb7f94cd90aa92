package masthead

import (
	"context"
	"time"
)

// AuditEntry is one staff action as the audit log keeps it. The log is
// append-only: the service that performs a staff action writes its entry
// in the same transaction, and nothing in the product changes or deletes
// an entry (the database refuses it too).
type AuditEntry struct {
	ID int64
	// ActorID is the staff account that acted (0 for the system, such as
	// the command line); ActorName is its email, for display.
	ActorID   int64
	ActorName string
	// Action names what was done, such as "comment.approve" or
	// "account.ban"; see the Audit* constants.
	Action string
	// TargetType and TargetID name what it was done to, such as
	// "comment" and "42".
	TargetType string
	TargetID   string
	// Before and After are the target's relevant state around the action,
	// as JSON objects ("" when there is nothing to show).
	Before string
	After  string
	// Reason is the reason the staff member gave, if any.
	Reason string
	IP     string
	At     time.Time
}

// Audit actions: every staff action has one.
const (
	AuditStorySave        = "story.save"
	AuditStoryPublish     = "story.publish"
	AuditStoryUnpublish   = "story.unpublish"
	AuditStorySchedule    = "story.schedule"
	AuditStoryRestore     = "story.restore"
	AuditSectionSave      = "section.save"
	AuditAuthorSave       = "author.save"
	AuditCommentApprove   = "comment.approve"
	AuditCommentReject    = "comment.reject"
	AuditCommentFeature   = "comment.feature"
	AuditCommentUnfeature = "comment.unfeature"
	AuditCommentRestore   = "comment.restore"
	AuditAccountWarn      = "account.warn"
	AuditAccountSuspend   = "account.suspend"
	AuditAccountBan       = "account.ban"
	AuditAccountLift      = "account.lift"
	AuditAccountResetName = "account.reset_display_name"
	AuditPolicySave       = "settings.comment_policy"
	AuditStaffRole        = "staff.role"
	AuditPlanSave         = "plan.save"
	AuditPlanArchive      = "plan.archive"
	AuditCompGrant        = "subscription.comp_grant"
	AuditCompRevoke       = "subscription.comp_revoke"
	AuditTwoFactorReset   = "account.two_factor_reset"
)

// AuditFilter selects audit entries, newest first. Empty fields match
// everything.
type AuditFilter struct {
	ActorID    int64
	Action     string
	TargetType string
	TargetID   string
	// Before is the ID of the last entry of the previous page (keyset
	// pagination); 0 for the first page.
	Before int64
	Limit  int
}

// AuditService reads the audit log. There is deliberately no method to
// write, change or delete an entry: entries are written by the service
// that performs each staff action, inside its transaction.
type AuditService interface {
	// FindAuditEntries returns entries matching f, newest first.
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
}
