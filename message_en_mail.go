package masthead

// Message IDs of email messages (internal/mail). Each kind of email has a
// subject, its paragraphs and the labels of its links; the parts shared by
// every email (greeting, signature, footer) come first. Arguments are
// noted beside each entry.
const (
	// Shared parts.
	MsgMailGreeting     MessageID = "mail.greeting"
	MsgMailGreetingName MessageID = "mail.greeting_name" // name
	MsgMailSignature    MessageID = "mail.signature"     // site name
	MsgMailFooter       MessageID = "mail.footer"        // site name
	MsgMailCopyLink     MessageID = "mail.copy_link"
	MsgMailLinkExpires  MessageID = "mail.link_expires" // date and time
	MsgMailUnsubscribe  MessageID = "mail.unsubscribe"

	// EmailVerify.
	MsgMailVerifySubject MessageID = "mail.verify.subject" // site name
	MsgMailVerifyIntro   MessageID = "mail.verify.intro"   // site name
	MsgMailVerifyAction  MessageID = "mail.verify.action"
	MsgMailVerifyIgnore  MessageID = "mail.verify.ignore"

	// EmailSignUpExisting.
	MsgMailSignUpExistingSubject MessageID = "mail.sign_up_existing.subject" // site name
	MsgMailSignUpExistingIntro   MessageID = "mail.sign_up_existing.intro"   // site name
	MsgMailSignUpExistingSignIn  MessageID = "mail.sign_up_existing.sign_in"
	MsgMailSignUpExistingForgot  MessageID = "mail.sign_up_existing.forgot"
	MsgMailSignUpExistingIgnore  MessageID = "mail.sign_up_existing.ignore"

	// EmailPasswordReset.
	MsgMailPasswordResetSubject MessageID = "mail.password_reset.subject" // site name
	MsgMailPasswordResetIntro   MessageID = "mail.password_reset.intro"   // site name
	MsgMailPasswordResetAction  MessageID = "mail.password_reset.action"
	MsgMailPasswordResetIgnore  MessageID = "mail.password_reset.ignore"

	// EmailPasswordChanged.
	MsgMailPasswordChangedSubject MessageID = "mail.password_changed.subject" // site name
	MsgMailPasswordChangedIntro   MessageID = "mail.password_changed.intro"   // site name, date and time
	MsgMailPasswordChangedIfYou   MessageID = "mail.password_changed.if_you"
	MsgMailPasswordChangedIfNot   MessageID = "mail.password_changed.if_not"

	// EmailChangeConfirm.
	MsgMailEmailChangeConfirmSubject MessageID = "mail.email_change_confirm.subject" // site name
	MsgMailEmailChangeConfirmIntro   MessageID = "mail.email_change_confirm.intro"   // site name
	MsgMailEmailChangeConfirmAction  MessageID = "mail.email_change_confirm.action"
	MsgMailEmailChangeConfirmIgnore  MessageID = "mail.email_change_confirm.ignore"

	// EmailChangeNotice.
	MsgMailEmailChangeNoticeSubject MessageID = "mail.email_change_notice.subject" // site name
	MsgMailEmailChangeNoticeIntro   MessageID = "mail.email_change_notice.intro"   // site name, new address
	MsgMailEmailChangeNoticeIfYou   MessageID = "mail.email_change_notice.if_you"
	MsgMailEmailChangeNoticeIfNot   MessageID = "mail.email_change_notice.if_not"

	// EmailDeletionScheduled.
	MsgMailDeletionSubject MessageID = "mail.deletion_scheduled.subject" // site name
	MsgMailDeletionIntro   MessageID = "mail.deletion_scheduled.intro"   // site name, date and time
	MsgMailDeletionCancel  MessageID = "mail.deletion_scheduled.cancel"

	// EmailCommentReply.
	MsgMailCommentReplySubject     MessageID = "mail.comment_reply.subject"      // headline
	MsgMailCommentReplySubjectMany MessageID = "mail.comment_reply.subject_many" // count, headline
	MsgMailCommentReplyIntro       MessageID = "mail.comment_reply.intro"        // headline
	MsgMailCommentReplyIntroMany   MessageID = "mail.comment_reply.intro_many"   // count, headline
	MsgMailCommentReplyWrote       MessageID = "mail.comment_reply.wrote"        // name
	MsgMailCommentReplyView        MessageID = "mail.comment_reply.view"
	MsgMailCommentReplyMore        MessageID = "mail.comment_reply.more" // count
	MsgMailCommentReplyStory       MessageID = "mail.comment_reply.story"
	MsgMailCommentReplyWhy         MessageID = "mail.comment_reply.why"

	// EmailCommentApproved and EmailCommentRejected.
	MsgMailCommentApprovedSubject MessageID = "mail.comment_approved.subject" // site name, headline
	MsgMailCommentApprovedIntro   MessageID = "mail.comment_approved.intro"   // headline
	MsgMailCommentRejectedSubject MessageID = "mail.comment_rejected.subject" // site name, headline
	MsgMailCommentRejectedIntro   MessageID = "mail.comment_rejected.intro"   // headline
	MsgMailCommentRejectedReason  MessageID = "mail.comment_rejected.reason"
	MsgMailCommentRejectedHidden  MessageID = "mail.comment_rejected.hidden"
	MsgMailCommentYours           MessageID = "mail.comment_moderated.yours"
	MsgMailCommentStory           MessageID = "mail.comment_moderated.story"

	// EmailAccountWarned, EmailAccountSuspended, EmailAccountBanned and
	// EmailDisplayNameReset.
	MsgMailAccountWarnedSubject    MessageID = "mail.account_warned.subject" // site name
	MsgMailAccountWarnedIntro      MessageID = "mail.account_warned.intro"   // site name
	MsgMailAccountWarnedNext       MessageID = "mail.account_warned.next"
	MsgMailAccountSuspendedSubject MessageID = "mail.account_suspended.subject" // site name
	MsgMailAccountSuspendedIntro   MessageID = "mail.account_suspended.intro"   // site name, date and time
	MsgMailAccountSuspendedNext    MessageID = "mail.account_suspended.next"
	MsgMailAccountBannedSubject    MessageID = "mail.account_banned.subject" // site name
	MsgMailAccountBannedIntro      MessageID = "mail.account_banned.intro"   // site name
	MsgMailAccountBannedNext       MessageID = "mail.account_banned.next"
	MsgMailNameResetSubject        MessageID = "mail.display_name_reset.subject" // site name
	MsgMailNameResetIntro          MessageID = "mail.display_name_reset.intro"   // removed name, site name
	MsgMailNameResetNext           MessageID = "mail.display_name_reset.next"
	MsgMailNameResetAction         MessageID = "mail.display_name_reset.action"
	MsgMailAccountCivil            MessageID = "mail.account_moderated.civil"
	MsgMailAccountVisit            MessageID = "mail.account_moderated.visit"

	// The page the unsubscribe link of a reply email opens.
	MsgUnsubscribeHeading     MessageID = "notifications.unsubscribe.heading"
	MsgUnsubscribeConfirm     MessageID = "notifications.unsubscribe.confirm"
	MsgUnsubscribeSubmit      MessageID = "notifications.unsubscribe.submit"
	MsgUnsubscribeDoneHeading MessageID = "notifications.unsubscribe.done_heading"
	MsgUnsubscribeDone        MessageID = "notifications.unsubscribe.done"
	MsgUnsubscribeSettings    MessageID = "notifications.unsubscribe.settings"
	MsgUnsubscribeInvalid     MessageID = "notifications.unsubscribe.invalid"

	// Link labels shared by several kinds.
	MsgMailActionSignIn        MessageID = "mail.action.sign_in"
	MsgMailActionResetPassword MessageID = "mail.action.reset_password"
)

// englishMail is the part of the English catalogue for email messages.
var englishMail = map[MessageID]string{
	MsgMailGreeting:     "Hello,",
	MsgMailGreetingName: "Hello %s,",
	MsgMailSignature:    "— %s",
	MsgMailFooter:       "This email was sent automatically by %s. Replies to it are not read.",
	MsgMailCopyLink:     "If the button does not work, copy this address into your browser:",
	MsgMailLinkExpires:  "The link works once, until %s.",
	MsgMailUnsubscribe:  "To stop receiving emails like this one, follow this link:",

	MsgMailVerifySubject: "Confirm your email address for %s",
	MsgMailVerifyIntro:   "Thank you for signing up to %s. Please confirm your email address by following this link:",
	MsgMailVerifyAction:  "Confirm my email address",
	MsgMailVerifyIgnore:  "If you did not sign up, you can ignore this email.",

	MsgMailSignUpExistingSubject: "Signing up to %s with your email address",
	MsgMailSignUpExistingIntro:   "Someone, perhaps you, tried to sign up to %s with this email address. It already has an account, so no new account was created.",
	MsgMailSignUpExistingSignIn:  "If it was you, you can sign in with your existing account:",
	MsgMailSignUpExistingForgot:  "If you have forgotten your password, you can choose a new one:",
	MsgMailSignUpExistingIgnore:  "If it was not you, you can ignore this email: nothing about your account has changed.",

	MsgMailPasswordResetSubject: "Reset your password for %s",
	MsgMailPasswordResetIntro:   "We received a request to reset the password of your account at %s. To choose a new password, follow this link:",
	MsgMailPasswordResetAction:  "Choose a new password",
	MsgMailPasswordResetIgnore:  "If you did not ask for this, you can ignore this email: your password has not changed.",

	MsgMailPasswordChangedSubject: "Your password for %s has been changed",
	MsgMailPasswordChangedIntro:   "The password of your account at %s was changed on %s.",
	MsgMailPasswordChangedIfYou:   "If you made this change, there is nothing more to do.",
	MsgMailPasswordChangedIfNot:   "If you did not, someone else may know your password. Please choose a new one at once:",

	MsgMailEmailChangeConfirmSubject: "Confirm your new email address for %s",
	MsgMailEmailChangeConfirmIntro:   "Please confirm that you want to use this email address for your account at %s by following this link:",
	MsgMailEmailChangeConfirmAction:  "Confirm my new email address",
	MsgMailEmailChangeConfirmIgnore:  "If you did not ask for this, you can ignore this email: the account's address will not change.",

	MsgMailEmailChangeNoticeSubject: "Your email address for %s is being changed",
	MsgMailEmailChangeNoticeIntro:   "Someone asked to change the email address of your account at %s to %s. The change takes effect only when the link we sent to that address is followed.",
	MsgMailEmailChangeNoticeIfYou:   "If you asked for this, there is nothing more to do.",
	MsgMailEmailChangeNoticeIfNot:   "If you did not, someone else may know your password. Please choose a new one at once:",

	MsgMailDeletionSubject: "Your account at %s is due to be deleted",
	MsgMailDeletionIntro:   "As you asked, your account at %s will be deleted on %s.",
	MsgMailDeletionCancel:  "If you change your mind, sign in before then and the deletion will be cancelled:",

	MsgMailCommentReplySubject:     "New reply to your comment on “%s”",
	MsgMailCommentReplySubjectMany: "%d new replies to your comments on “%s”",
	MsgMailCommentReplyIntro:       "There is a new reply to your comment on “%s”.",
	MsgMailCommentReplyIntroMany:   "There are %d new replies to your comments on “%s”.",
	MsgMailCommentReplyWrote:       "%s wrote:",
	MsgMailCommentReplyView:        "Read the reply",
	MsgMailCommentReplyMore:        "…and %d more.",
	MsgMailCommentReplyStory:       "Read the discussion",
	MsgMailCommentReplyWhy:         "You receive these emails because reply emails are on in the Notifications section of your account page. We send at most one an hour for each discussion.",

	MsgMailCommentApprovedSubject: "%s: your comment on “%s” is published",
	MsgMailCommentApprovedIntro:   "A moderator has approved your comment on “%s”, and everyone can now read it.",
	MsgMailCommentRejectedSubject: "%s: your comment on “%s” was not published",
	MsgMailCommentRejectedIntro:   "A moderator has decided not to publish your comment on “%s”.",
	MsgMailCommentRejectedReason:  "The moderator's reason:",
	MsgMailCommentRejectedHidden:  "Other readers cannot see the comment. You are welcome to take part in the discussion within its rules.",
	MsgMailCommentYours:           "You wrote:",
	MsgMailCommentStory:           "Go to the discussion",

	MsgMailAccountWarnedSubject:    "A moderator at %s has warned you",
	MsgMailAccountWarnedIntro:      "A moderator at %s has warned you about your comments. Their reason:",
	MsgMailAccountWarnedNext:       "You will be shown this warning on your next visit and asked to acknowledge it.",
	MsgMailAccountSuspendedSubject: "Your commenting at %s is suspended",
	MsgMailAccountSuspendedIntro:   "A moderator at %s has suspended your commenting until %s. Their reason:",
	MsgMailAccountSuspendedNext:    "You can still read stories, and you can comment again once the suspension ends.",
	MsgMailAccountBannedSubject:    "You can no longer comment at %s",
	MsgMailAccountBannedIntro:      "A moderator at %s has banned you from commenting. Their reason:",
	MsgMailAccountBannedNext:       "You can still read stories and manage your account and subscription.",
	MsgMailNameResetSubject:        "Your display name at %s has been removed",
	MsgMailNameResetIntro:          "A moderator has removed your display name “%s” at %s. Their reason:",
	MsgMailNameResetNext:           "That name, and names that look like it, cannot be used again. To comment again, choose a new display name in the Profile section of your account page:",
	MsgMailNameResetAction:         "Choose a display name",
	MsgMailAccountCivil:            "Please keep the discussion civil. If the moderators have to step in again, your commenting may be suspended or your account banned.",
	MsgMailAccountVisit:            "Go to the site",

	MsgUnsubscribeHeading:     "Stop reply emails",
	MsgUnsubscribeConfirm:     "Do you want to stop receiving an email when someone replies to your comments?",
	MsgUnsubscribeSubmit:      "Stop reply emails",
	MsgUnsubscribeDoneHeading: "Reply emails are off",
	MsgUnsubscribeDone:        "You will no longer receive an email when someone replies to your comments. You can turn them on again in the Notifications section of your account page.",
	MsgUnsubscribeSettings:    "Notification settings",
	MsgUnsubscribeInvalid:     "This unsubscribe link is not valid: it may have expired. You can turn reply emails off in the Notifications section of your account page.",

	MsgMailActionSignIn:        "Sign in",
	MsgMailActionResetPassword: "Choose a new password",
}
