package masthead

// Message IDs of moderators' actions on subscribers (the user actions and
// the warnings subscribers acknowledge). Arguments are noted beside each
// entry. The staff pages' and the warning page's sentences, looked up by
// the web layer, follow under "users.".
const (
	MsgUserActSelf        MessageID = "users.error.self"
	MsgUserActAdmin       MessageID = "users.error.admin"
	MsgUserActStaff       MessageID = "users.error.staff"
	MsgUserActionUnknown  MessageID = "users.error.action"
	MsgUserReasonRequired MessageID = "users.error.reason_required"
	MsgUserReasonTooLong  MessageID = "users.error.reason_too_long" // most characters
	MsgUserReasonInvalid  MessageID = "users.error.reason_invalid"
	MsgUserDaysInvalid    MessageID = "users.error.days" // most days
	MsgUserAlreadyBanned  MessageID = "users.error.already_banned"
	MsgUserNothingToLift  MessageID = "users.error.nothing_to_lift"
	MsgUserNoDisplayName  MessageID = "users.error.no_display_name"
	MsgUserNoWarning      MessageID = "users.error.no_warning"
	MsgDisplayNameBlocked MessageID = "users.display_name_blocked"
)

// Messages of moderators' actions on subscribers.
var englishUsers = map[MessageID]string{
	MsgUserActSelf:        "You cannot take this action on your own account.",
	MsgUserActAdmin:       "Nobody can take this action on an administrator's account.",
	MsgUserActStaff:       "Only an administrator can take this action on a staff account.",
	MsgUserActionUnknown:  "Choose one of the actions on this page.",
	MsgUserReasonRequired: "Give a reason. The subscriber will see it.",
	MsgUserReasonTooLong:  "The reason can be at most %d characters long.",
	MsgUserReasonInvalid:  "The reason contains characters that cannot be shown. Please write it again as plain text.",
	MsgUserDaysInvalid:    "Enter a number of days from 1 to %d.",
	MsgUserAlreadyBanned:  "This account is banned. Lift the ban first.",
	MsgUserNothingToLift:  "This account is neither suspended nor banned.",
	MsgUserNoDisplayName:  "This account has no display name to reset.",
	MsgUserNoWarning:      "There is no such warning.",
	MsgDisplayNameBlocked: "This display name was removed by a moderator and cannot be used again. Please choose another one.",

	// The staff pages: finding an account.
	"users.nav":              "Users",
	"users.search.heading":   "Users",
	"users.search.intro":     "Find a subscriber by email address or display name to see their history and act on their account.",
	"users.search.label":     "Email address or display name",
	"users.search.submit":    "Find",
	"users.search.none":      "No account matches “%s”.",
	"users.search.results":   "Accounts found",
	"users.col.email":        "Email address",
	"users.col.display_name": "Display name",
	"users.col.role":         "Role",
	"users.col.joined":       "Joined",

	// One account.
	"users.heading":         "User: %s",
	"users.summary":         "Account",
	"users.email":           "Email address",
	"users.display_name":    "Display name",
	"users.no_display_name": "None",
	"users.role":            "Role",
	"users.joined":          "Joined",
	"users.age":             "%s (%s ago)",
	"users.age_today":       "%s (today)",
	"users.comments":        "Comments",
	"users.comment_counts":  "%s published, %s awaiting review, %s rejected",
	"users.sanction":        "Commenting",
	"users.sanction.none":   "Allowed",
	"users.sanction.banned": "Banned: “%s”",
	"users.sanction.until":  "Suspended until %s: “%s”",
	"users.subscription":    "Subscription and plan",
	"users.back":            "Find another user",
	"users.moderation_link": "Comments, warnings and moderation actions",

	"users.names.heading":  "Display names",
	"users.names.none":     "This account has never had a display name.",
	"users.names.name":     "Name",
	"users.names.chosen":   "Chosen",
	"users.names.replaced": "Replaced",
	"users.names.current":  "Current",

	"users.warnings.heading":      "Warnings",
	"users.warnings.none":         "No warnings.",
	"users.warnings.given":        "Given",
	"users.warnings.reason":       "Reason",
	"users.warnings.acknowledged": "Acknowledged",
	"users.warnings.not_yet":      "Not yet",

	"users.actions.heading": "Earlier staff actions",
	"users.actions.none":    "No staff action has been taken on this account.",
	"users.actions.when":    "When",
	"users.actions.what":    "Action",
	"users.actions.reason":  "Reason",
	"users.actions.by":      "By",
	"users.actions.system":  "System",

	"users.action." + AuditAccountWarn:      "Warned",
	"users.action." + AuditAccountSuspend:   "Suspended",
	"users.action." + AuditAccountBan:       "Banned",
	"users.action." + AuditAccountLift:      "Suspension or ban lifted",
	"users.action." + AuditAccountResetName: "Display name reset",
	"users.action." + AuditTwoFactorReset:   "Two-factor sign-in reset",
	"users.action." + AuditStaffRole:        "Staff role changed",

	// The action forms.
	"users.act.heading":                    "Act on this account",
	"users.act.cannot":                     "You cannot act on this account: %s",
	"users.act.reason":                     "Reason (the subscriber sees it)",
	"users.act.reason_hint":                "Plain text, at most %d characters.",
	"users.act.days":                       "Days",
	"users.act.days_hint":                  "From 1 to %d days.",
	"users.act.warn.heading":               "Warn",
	"users.act.warn.intro":                 "The subscriber is shown the warning and its reason on their next visit, and must acknowledge it. They are also emailed.",
	"users.act.warn.submit":                "Warn",
	"users.act.suspend.heading":            "Suspend commenting",
	"users.act.suspend.intro":              "The subscriber cannot comment until the suspension ends, and is told why in place of the comment box. A new suspension replaces the current one.",
	"users.act.suspend.submit":             "Suspend",
	"users.act.ban.heading":                "Ban from commenting",
	"users.act.ban.intro":                  "The subscriber can no longer comment, until the ban is lifted. They can still read.",
	"users.act.ban.submit":                 "Ban",
	"users.act.lift.heading":               "Lift the suspension or ban",
	"users.act.lift.intro":                 "The subscriber can comment again at once.",
	"users.act.lift.submit":                "Lift",
	"users.act.reset_display_name.heading": "Reset the display name",
	"users.act.reset_display_name.intro":   "The name goes to the history and can never be chosen again, nor any look-alike of it. The subscriber must choose a new name before commenting again.",
	"users.act.reset_display_name.submit":  "Reset the display name",

	"users.done.warn":               "The subscriber has been warned.",
	"users.done.suspend":            "Commenting is suspended.",
	"users.done.ban":                "The subscriber is banned from commenting.",
	"users.done.lift":               "The suspension or ban is lifted.",
	"users.done.reset_display_name": "The display name has been reset.",

	// The warning a subscriber must acknowledge.
	"users.warning.heading":     "A moderator has warned you",
	"users.warning.intro":       "On %s a moderator sent you this warning about your comments:",
	"users.warning.rules":       "Please keep the discussion civil. If the moderators have to step in again, your commenting may be suspended or your account banned.",
	"users.warning.acknowledge": "I understand",
}
