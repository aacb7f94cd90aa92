package masthead

// Message IDs of the account rules in the domain and their storage.
const (
	MsgEmailInvalid           MessageID = "account.email_invalid"
	MsgPasswordTooShort       MessageID = "account.password_too_short"
	MsgPasswordTooLong        MessageID = "account.password_too_long"
	MsgPasswordTooCommon      MessageID = "account.password_too_common"
	MsgSignInFailed           MessageID = "account.sign_in_failed"
	MsgSignInRateLimited      MessageID = "account.sign_in_rate_limited"
	MsgSignUpRateLimited      MessageID = "account.sign_up_rate_limited"
	MsgResetRateLimited       MessageID = "account.reset_rate_limited"
	MsgVerifyRateLimited      MessageID = "account.verify_rate_limited"
	MsgEmailChangeRateLimited MessageID = "account.email_change_rate_limited"
	MsgTokenInvalid           MessageID = "account.token_invalid"
	MsgSessionInvalid         MessageID = "account.session_invalid"
	MsgCurrentPasswordWrong   MessageID = "account.current_password_wrong"
	MsgEmailTaken             MessageID = "account.email_taken"
	MsgEmailUnchanged         MessageID = "account.email_unchanged"
	MsgAlreadyVerified        MessageID = "account.already_verified"
	MsgAccountNotFound        MessageID = "account.not_found"
	MsgSessionNotFound        MessageID = "account.session_not_found"
	MsgAboutTooLong           MessageID = "account.about_too_long"
	MsgAboutInvalid           MessageID = "account.about_invalid"
	MsgNameChangeTooSoon      MessageID = "account.name_change_too_soon"
	MsgRoleInvalid            MessageID = "account.role_invalid"
	MsgDeletionPending        MessageID = "account.deletion_pending"
)

// englishAccounts is the part of the English catalogue for accounts.
var englishAccounts = map[MessageID]string{
	MsgEmailInvalid:           "Please enter a valid email address, like name@example.com.",
	MsgPasswordTooShort:       "Your password needs at least %d characters.",
	MsgPasswordTooLong:        "Your password can have at most %d characters.",
	MsgPasswordTooCommon:      "That password is one of the most common passwords, so it is easy to guess. Please choose another.",
	MsgSignInFailed:           "That email address and password do not match an account.",
	MsgSignInRateLimited:      "Too many failed attempts to sign in. Please wait a few minutes and try again, or reset your password by email.",
	MsgSignUpRateLimited:      "Too many accounts have been created from your network recently. Please try again later.",
	MsgResetRateLimited:       "We have sent several reset emails to this address recently. Please check your inbox (and spam folder), or try again later.",
	MsgVerifyRateLimited:      "We have sent several verification emails to this address recently. Please check your inbox (and spam folder), or try again later.",
	MsgEmailChangeRateLimited: "You have asked to change your email address several times recently. Please check the inbox of the new address, or try again later.",
	MsgTokenInvalid:           "This link is not valid any more: it may have been used already or have expired. Please ask for a new one.",
	MsgSessionInvalid:         "Please sign in again.",
	MsgCurrentPasswordWrong:   "Your current password is not correct.",
	MsgEmailTaken:             "That email address cannot be used for this account.",
	MsgEmailUnchanged:         "That is already your email address.",
	MsgAlreadyVerified:        "Your email address is already verified.",
	MsgAccountNotFound:        "We could not find that account.",
	MsgSessionNotFound:        "That session has already ended.",
	MsgAboutTooLong:           "The about line can have at most %d characters.",
	MsgAboutInvalid:           "The about line contains a character that is not allowed: %s.",
	MsgNameChangeTooSoon:      "You can change your name again on %s.",
	MsgRoleInvalid:            "A role must be subscriber, moderator, editor or admin, not %q.",
	MsgDeletionPending:        "Your account is due to be deleted on %s. Signing in has cancelled that.",
}
