package masthead

// Message IDs of two-factor sign-in and staff management that the domain
// and storage use.
const (
	MsgTwoFactorRequired        MessageID = "twofactor.required"
	MsgTwoFactorSecretInvalid   MessageID = "twofactor.secret_invalid"
	MsgTwoFactorCodeWrong       MessageID = "twofactor.code_wrong"
	MsgTwoFactorCodeMissing     MessageID = "twofactor.code_missing"
	MsgTwoFactorAlreadyOn       MessageID = "twofactor.already_on"
	MsgTwoFactorNotOn           MessageID = "twofactor.not_on"
	MsgTwoFactorPendingInvalid  MessageID = "twofactor.pending_invalid"
	MsgTwoFactorRateLimited     MessageID = "twofactor.rate_limited"
	MsgStaffLastAdmin           MessageID = "staffadmin.last_admin"
	MsgStaffAccountNotFound     MessageID = "staffadmin.account_not_found"
	MsgStaffReasonTooLong       MessageID = "staffadmin.reason_too_long"
	MsgTwoFactorResetNotEnabled MessageID = "staffadmin.reset_not_enabled"
)

// Messages of two-factor sign-in, the staff page and the audit log page.
var englishTwoFactor = map[MessageID]string{
	MsgTwoFactorRequired:        "Enter the code from your authenticator app to finish signing in.",
	MsgTwoFactorSecretInvalid:   "This set-up key is not valid. Start setting up two-factor sign-in again.",
	MsgTwoFactorCodeWrong:       "That code is not right, or has already been used. Enter the current code from your app, or one of your recovery codes.",
	MsgTwoFactorCodeMissing:     "Enter the 6-digit code from your app, or a recovery code.",
	MsgTwoFactorAlreadyOn:       "Two-factor sign-in is already on for this account.",
	MsgTwoFactorNotOn:           "Two-factor sign-in is not on for this account.",
	MsgTwoFactorPendingInvalid:  "This sign-in has expired. Sign in again with your email address and password.",
	MsgTwoFactorRateLimited:     "Too many wrong codes. Wait a few minutes and try again.",
	MsgStaffLastAdmin:           "This is the site's last administrator. Make another account an administrator first.",
	MsgStaffAccountNotFound:     "There is no account with that email address.",
	MsgStaffReasonTooLong:       "The reason is too long.",
	MsgTwoFactorResetNotEnabled: "This account does not use two-factor sign-in; there is nothing to reset.",

	// The sign-in's second step.
	"signin2fa.heading":        "Two-factor sign-in",
	"signin2fa.intro":          "Open your authenticator app and enter the 6-digit code it shows for this site. If you have lost your device, enter one of your recovery codes instead.",
	"signin2fa.code":           "Code",
	"signin2fa.code_hint":      "A 6-digit code, or a recovery code such as abcde-fgh23.",
	"signin2fa.submit":         "Finish signing in",
	"signin2fa.start_again":    "Sign in again",
	"signin2fa.recovery_used":  "You signed in with a recovery code. You have %d recovery codes left; each works once.",
	"signin2fa.recovery_low":   "You signed in with a recovery code. You have %d recovery codes left: make new ones on the two-factor page soon.",
	"signin2fa.recovery_empty": "You signed in with your last recovery code. Make new ones now on the two-factor page.",

	// The two-factor page.
	"twofactor.heading":            "Two-factor sign-in",
	"twofactor.link":               "Two-factor sign-in",
	"twofactor.security_on":        "Two-factor sign-in is on: signing in needs a code from your authenticator app.",
	"twofactor.security_off":       "Two-factor sign-in is off. Turn it on so that your password alone cannot open your account.",
	"twofactor.manage":             "Manage two-factor sign-in",
	"twofactor.set_up":             "Set up two-factor sign-in",
	"twofactor.admin_required":     "Administrators must use two-factor sign-in. Set it up to use the staff pages.",
	"twofactor.intro":              "With two-factor sign-in, signing in needs your password and a code from an authenticator app on your phone.",
	"twofactor.status_on":          "Two-factor sign-in has been on since %s.",
	"twofactor.codes_left":         "You have %d unused recovery codes.",
	"twofactor.codes_none":         "You have no unused recovery codes. Make new ones below, so that you can still sign in if you lose your phone.",
	"twofactor.setup_heading":      "Set up",
	"twofactor.step_add":           "Add this site to your authenticator app: type the key below, or open the link on the device that has the app.",
	"twofactor.secret":             "Key",
	"twofactor.uri":                "Set-up link",
	"twofactor.uri_link":           "Open in an authenticator app",
	"twofactor.step_confirm":       "Then enter the 6-digit code the app shows, to check it works.",
	"twofactor.code":               "Code from the app",
	"twofactor.code_hint":          "6 digits.",
	"twofactor.confirm":            "Turn on two-factor sign-in",
	"twofactor.enabled_heading":    "Two-factor sign-in is on",
	"twofactor.codes_heading":      "Your recovery codes",
	"twofactor.codes_intro":        "If you lose your phone, each of these codes lets you sign in once. Store them somewhere safe, such as a password manager, now: they are not shown again.",
	"twofactor.codes_new":          "These are your new recovery codes; the old ones no longer work. Store them somewhere safe now: they are not shown again.",
	"twofactor.done":               "I have stored my codes",
	"twofactor.regenerate_heading": "Recovery codes",
	"twofactor.regenerate_intro":   "Make new recovery codes if you have used some or think someone has seen them. The old codes stop working.",
	"twofactor.regenerate":         "Make new recovery codes",
	"twofactor.disable_heading":    "Turn off",
	"twofactor.disable_intro":      "Turning two-factor sign-in off needs your password and a current code.",
	"twofactor.password":           "Password",
	"twofactor.disable":            "Turn off two-factor sign-in",
	"twofactor.disabled":           "Two-factor sign-in is off.",
	"twofactor.continue":           "Continue to where you were going",

	// The staff page.
	"admin.nav.staff":              "Staff",
	"admin.nav.audit":              "Audit log",
	"staffadmin.heading":           "Staff",
	"staffadmin.intro":             "Accounts with a staff role. Administrators must use two-factor sign-in.",
	"staffadmin.caption":           "Staff accounts",
	"staffadmin.email":             "Email",
	"staffadmin.role":              "Role",
	"staffadmin.two_factor":        "Two-factor",
	"staffadmin.actions":           "Actions",
	"staffadmin.on":                "On",
	"staffadmin.off":               "Off",
	"staffadmin.change_role":       "Change role",
	"staffadmin.role_for":          "Role of %s",
	"staffadmin.reason":            "Reason (optional)",
	"staffadmin.reason_for":        "Reason for the change to %s (optional)",
	"staffadmin.reset":             "Reset two-factor",
	"staffadmin.reset_for":         "Reset two-factor sign-in of %s",
	"staffadmin.add_heading":       "Give an account a role",
	"staffadmin.add_intro":         "The account must exist: its owner signs up first.",
	"staffadmin.add_email":         "Email address of the account",
	"staffadmin.add_submit":        "Set role",
	"staffadmin.role_changed":      "The role was changed.",
	"staffadmin.reset_done":        "Two-factor sign-in was reset; the account can set it up again.",
	"staffadmin.you":               "(you)",
	"staffadmin.none":              "No staff accounts.",
	"staffadmin.role.subscriber":   "Subscriber",
	"staffadmin.role.moderator":    "Moderator",
	"staffadmin.role.editor":       "Editor",
	"staffadmin.role.admin":        "Administrator",
	"staffadmin.role_invalid":      "Choose a role from the list.",
	"staffadmin.id_invalid":        "This account does not exist.",
	"staffadmin.reset_reason_hint": "Say why, for the audit log.",

	// The audit log page.
	"audit.heading":         "Audit log",
	"audit.intro":           "Every staff action, newest first. Nothing here can be changed or deleted.",
	"audit.filter_heading":  "Filter",
	"audit.actor":           "Staff member (email or account number)",
	"audit.action":          "Action",
	"audit.action_any":      "Any action",
	"audit.target_type":     "Target type",
	"audit.target_id":       "Target number",
	"audit.apply":           "Filter",
	"audit.clear":           "Show everything",
	"audit.caption":         "Audit entries",
	"audit.when":            "When",
	"audit.who":             "Who",
	"audit.what":            "What",
	"audit.target":          "Target",
	"audit.change":          "Before → after",
	"audit.reason":          "Reason",
	"audit.ip":              "IP",
	"audit.system":          "System",
	"audit.none":            "No entries match.",
	"audit.older":           "Older entries",
	"audit.actor_unknown":   "No staff account has that email address.",
	"audit.target_id_hint":  "Needs a target type.",
	"audit.actor_hint":      "Such as admin@example.com or 12.",
	"audit.before_after":    "%s → %s",
	"audit.nothing":         "—",
	"audit.target_format":   "%s %s",
	"audit.action_label":    "%s (%s)",
	"audit.filtered_notice": "Showing entries that match the filter.",
}
