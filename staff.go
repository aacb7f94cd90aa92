package masthead

import (
	"context"
	"slices"
	"time"
)

// Permission is a part of the staff tools (/admin) that some roles may use.
type Permission string

// The staff permissions. Editors write stories; moderators keep the
// discussion civil; administrators run the site and may do everything.
const (
	// PermStaff is any page of /admin at all: the staff home.
	PermStaff Permission = "staff"
	// PermStories is the story editor, sections and authors.
	PermStories Permission = "stories"
	// PermModerate is the moderation queues and their actions.
	PermModerate Permission = "moderate"
	// PermUsers is the subscriber list and the user actions (warn,
	// suspend, ban, lift, reset a display name).
	PermUsers Permission = "users"
	// PermPlans is plans and complimentary subscriptions.
	PermPlans Permission = "plans"
	// PermStaffAdmin is managing staff accounts and their roles.
	PermStaffAdmin Permission = "staff_admin"
	// PermSettings is the site settings, the commenting policies included.
	PermSettings Permission = "settings"
	// PermAudit is reading the audit log.
	PermAudit Permission = "audit"
)

// permissions lists, for each staff role, what it may do.
var permissions = map[Role][]Permission{
	RoleEditor:    {PermStaff, PermStories},
	RoleModerator: {PermStaff, PermModerate, PermUsers},
	RoleAdmin: {PermStaff, PermStories, PermModerate, PermUsers, PermPlans,
		PermStaffAdmin, PermSettings, PermAudit},
}

// Can reports whether an account of role r may use the part p of the staff
// tools. It is the one table the web layer routes by and the services
// check again before they write.
func (r Role) Can(p Permission) bool { return slices.Contains(permissions[r], p) }

// Actor is the staff member behind a staff action, as the audit log
// records them.
type Actor struct {
	ID   int64
	Role Role
	// IP is the client address the action came from.
	IP string
}

// Require returns an EFORBIDDEN error unless the actor's role may use p.
func (a Actor) Require(p Permission) error {
	if a.Role.Can(p) {
		return nil
	}
	return Errorf(EFORBIDDEN, "%s", Msg(MsgStaffForbidden))
}

// MaxStaffReasonLen bounds the reason given for a role change or a
// two-factor reset.
const MaxStaffReasonLen = 500

// StaffMember is an account with a staff role, as the staff page lists it.
type StaffMember struct {
	ID               int64
	Email            string
	DisplayName      string
	Role             Role
	TwoFactorEnabled bool
	CreatedAt        time.Time
}

// StaffService manages staff accounts and their roles. Every method is for
// administrators only (PermStaffAdmin).
type StaffService interface {
	// ListStaff returns every account with a staff role: administrators
	// first, then editors, then moderators, each by email.
	ListStaff(ctx context.Context, actor Actor) ([]*StaffMember, error)
	// SetRole gives the account the role (subscriber takes a staff role
	// away), with an AuditStaffRole entry. No change may leave the site
	// without an administrator (ECONFLICT). An unknown account is
	// ENOTFOUND.
	SetRole(ctx context.Context, actor Actor, accountID int64, role Role, reason string) error
	// SetRoleByEmail is SetRole for the account with the email address,
	// so that a subscriber can be made staff.
	SetRoleByEmail(ctx context.Context, actor Actor, email string, role Role, reason string) error
	// AccountIDByEmail returns the ID of the account (live or not) that has
	// the email address, ENOTFOUND if none, so that the audit log can be
	// filtered by a staff member's address (PermAudit).
	AccountIDByEmail(ctx context.Context, actor Actor, email string) (int64, error)
}
