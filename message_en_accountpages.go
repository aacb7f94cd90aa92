package masthead

// englishAccountPages is the part of the English catalogue for the account
// pages of internal/web: the header's account menu, signing up and in,
// passwords, the account page and its sections, and the account API.
var englishAccountPages = map[MessageID]string{
	// Header.
	"nav.signed_in_as": "Signed in as %s",
	"nav.account":      "Account",
	"nav.sign_out":     "Sign out",
	"nav.sign_in":      "Sign in",
	"nav.sign_up":      "Sign up",

	// Forms.
	"form.email":          "Email address",
	"form.password":       "Password",
	"form.new_password":   "New password",
	"form.password_hint":  "At least %d characters. A few unrelated words make a strong password.",
	"form.errors_heading": "There is a problem",
	"form.error_title":    "Error: %s",
	"form.too_large":      "That form was too large to accept.",
	"form.unreadable":     "That form could not be read. Please try again.",
	"form.unknown_action": "That form asked for something this page does not do.",

	// Durations, in sentences such as "The link works for 1 hour".
	"duration.day":     "1 day",
	"duration.days":    "%d days",
	"duration.hour":    "1 hour",
	"duration.hours":   "%d hours",
	"duration.minutes": "%d minutes",

	// Sign up.
	"signup.heading":      "Create your account",
	"signup.intro":        "A free account lets you read more stories each month. We will email you a link to confirm your address.",
	"signup.submit":       "Create account",
	"signup.have_account": "Already have an account?",
	"signup.sign_in":      "Sign in",
	"signup.sent_heading": "Check your email",
	"signup.sent":         "Check your email. If that address can be used for a new account, we have sent it a link to confirm it. If nothing arrives in a few minutes, look in your spam folder.",
	"signup.sent_sign_in": "Sign in",

	// Sign in.
	"signin.heading":    "Sign in",
	"signin.submit":     "Sign in",
	"signin.forgot":     "Forgotten your password?",
	"signin.no_account": "No account yet?",
	"signin.sign_up":    "Sign up",

	// Verification.
	"verify.heading":        "Email address verified",
	"verify.done":           "Thank you: your email address is verified.",
	"verify.account":        "Go to your account",
	"verify.sign_in":        "Sign in",
	"verify.failed_heading": "We could not verify your email address",
	"verify.failed_account": "Ask for a new link on your account page",

	// Forgotten and reset passwords.
	"forgot.heading":               "Reset your password",
	"forgot.intro":                 "Enter the email address of your account and we will send you a link to choose a new password.",
	"forgot.submit":                "Send reset link",
	"forgot.sent_heading":          "Check your email",
	"forgot.sent":                  "If that address has an account, we have sent it a link to choose a new password. The link works for %s.",
	"forgot.back_to_sign_in":       "Back to sign in",
	"reset.heading":                "Choose a new password",
	"reset.submit":                 "Save new password",
	"reset.failed_heading":         "This reset link does not work",
	"reset.ask_again":              "Ask for a new reset link",
	"email_confirm.heading":        "Email address changed",
	"email_confirm.done":           "Your email address is now %s.",
	"email_confirm.account":        "Go to your account",
	"email_confirm.failed_heading": "We could not change your email address",
	"email_confirm.security":       "Ask again from your account's security page",

	// The account page.
	"accountpage.heading":             "Your account",
	"accountpage.nav.label":           "Account sections",
	"accountpage.nav.overview":        "Overview",
	"accountpage.nav.profile":         "Profile",
	"accountpage.nav.subscription":    "Subscription",
	"accountpage.nav.security":        "Password and security",
	"accountpage.nav.notifications":   "Notifications",
	"accountpage.nav.privacy":         "Privacy and data",
	"accountpage.email":               "Email address",
	"accountpage.verified":            "Verified.",
	"accountpage.not_verified":        "Not verified yet.",
	"accountpage.change_email":        "Change your email address",
	"accountpage.display_name":        "Display name",
	"accountpage.no_display_name":     "You have not created a display name yet. You need one to comment on stories.",
	"accountpage.create_name":         "Create a display name",
	"accountpage.change_name":         "Change your display name",
	"accountpage.plan":                "Plan",
	"accountpage.see_subscription":    "See your subscription",
	"accountpage.unverified_heading":  "Please verify your email address",
	"accountpage.unverified":          "We sent a link to %s when you signed up. Follow it to verify your address. If you cannot find the email, we can send the link again.",
	"accountpage.resend":              "Send the verification email again",
	"accountpage.verify_resent":       "We have sent a new verification link to %s.",
	"accountpage.password_reset_done": "Your new password is saved, and you are signed in. Every other session has been signed out.",
	"accountpage.deletion_due":        "Your account is due to be deleted on %s.",

	// Profile.
	"profile.intro":             "Your display name is shown with every comment you write. It must be yours alone and must not pretend to be someone else.",
	"profile.display_name":      "Display name",
	"profile.display_name_hint": "3 to 30 characters: letters, digits, spaces and . _ - '. You can change it once every %s.",
	"profile.about":             "About you (optional)",
	"profile.about_hint":        "A short line shown beside your name, such as your city. At most %d characters.",
	"profile.submit":            "Save profile",
	"profile.saved":             "Your profile has been saved.",

	// Subscription.
	"subscription.free":          "Free",
	"subscription.on_free_plan":  "You are on the Free plan.",
	"subscription.free_includes": "The Free plan lets you read a number of subscriber stories each month. It does not include commenting or premium stories.",
	"subscription.plans_soon":    "Paid plans, with commenting and premium stories, will be offered here soon.",

	// Password and security.
	"security.password_heading":  "Change your password",
	"security.current_password":  "Current password",
	"security.password_submit":   "Change password",
	"security.password_changed":  "Your password has been changed. Every other session has been signed out.",
	"security.email_heading":     "Change your email address",
	"security.new_email":         "New email address",
	"security.new_email_hint":    "Your address is %s now. We will send a link to the new address; the change happens when you follow it.",
	"security.email_password":    "Your password",
	"security.email_submit":      "Send confirmation link",
	"security.email_sent":        "We have sent a confirmation link to your new address, and a notice to your current one. Your address changes when you follow the link.",
	"security.sessions_heading":  "Where you are signed in",
	"security.sessions_intro":    "These are the browsers and devices signed in to your account. If you do not recognise one, sign it out and change your password.",
	"security.this_browser":      "(this browser)",
	"security.session_network":   "Network %s",
	"security.session_started":   "signed in",
	"security.session_last_seen": "last active",
	"security.network_unknown":   "unknown",
	"security.browser_on":        "%s on %s",
	"security.browser_unknown":   "Unknown browser",
	"security.end_session":       "Sign out",
	"security.end_others":        "Sign out all other sessions",
	"security.session_ended":     "That session has been signed out.",
	"security.others_ended":      "Every other session has been signed out.",

	// Notifications.
	"notifications.reply_emails":      "Email me when someone replies to my comments",
	"notifications.reply_emails_hint": "Each email has a link to turn these off in one click.",
	"notifications.submit":            "Save settings",
	"notifications.saved":             "Your notification settings have been saved.",

	// Privacy and data.
	"privacy.export_heading":    "Download your data",
	"privacy.export_intro":      "Download everything we store about your account as a JSON file.",
	"privacy.export_link":       "Download my data",
	"privacy.delete_heading":    "Delete your account",
	"privacy.delete_intro":      "Your account will be deleted %s after you ask, and you will be signed out everywhere. If you sign in before then, the deletion is cancelled.",
	"privacy.comments_legend":   "What should happen to your comments?",
	"privacy.keep_comments":     "Keep them, shown as written by a deleted account",
	"privacy.delete_comments":   "Delete them",
	"privacy.comments_required": "Please choose whether to keep or delete your comments.",
	"privacy.password":          "Your password, to confirm",
	"privacy.password_required": "Please enter your password to confirm that you want to delete your account.",
	"privacy.delete_submit":     "Delete my account",
	"privacy.deleted_heading":   "Your account will be deleted",
	"privacy.deleted":           "Your account will be deleted on %s, and you have been signed out. If you change your mind, sign in before then and the deletion will be cancelled.",
	"privacy.deleted_home":      "Go to the front page",

	// Account API.
	"api.sign_in_required":     "Please sign in to use this.",
	"api.profile_body_invalid": "The request body must be a JSON object with the members display_name and about, both strings.",
}
