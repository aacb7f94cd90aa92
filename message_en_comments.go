package masthead

// Message IDs of comments and the commenting gate.
const (
	MsgGateCommentsClosed      MessageID = "gate.comments_closed"
	MsgGateSignedOut           MessageID = "gate.signed_out"
	MsgGateStoryNotReadable    MessageID = "gate.story_not_readable"
	MsgGatePlanLacksCommenting MessageID = "gate.plan_lacks_commenting"
	MsgGateSuspended           MessageID = "gate.suspended"
	MsgGateBanned              MessageID = "gate.banned"
	MsgGateEmailUnverified     MessageID = "gate.email_unverified"
	MsgGateDisplayNameRequired MessageID = "gate.display_name_required"

	MsgCommentEmpty       MessageID = "comment.empty"
	MsgCommentTooLong     MessageID = "comment.too_long"
	MsgCommentInvalidText MessageID = "comment.invalid_text"

	MsgCommentNotFound       MessageID = "comment.not_found"
	MsgCommentNotYours       MessageID = "comment.not_yours"
	MsgCommentNotEditable    MessageID = "comment.not_editable"
	MsgCommentEditWindowOver MessageID = "comment.edit_window_over"
	MsgCommentEditHasReplies MessageID = "comment.edit_has_replies"
	MsgCommentTooSoon        MessageID = "comment.too_soon"
	MsgCommentDailyLimit     MessageID = "comment.daily_limit"
	MsgCommentDuplicate      MessageID = "comment.duplicate"
	MsgCommentParentInvalid  MessageID = "comment.parent_invalid"
	MsgCommentSortInvalid    MessageID = "comment.sort_invalid"
	MsgCommentCursorInvalid  MessageID = "comment.cursor_invalid"
	MsgRespectOwn            MessageID = "comment.respect_own"
	MsgRespectDailyLimit     MessageID = "comment.respect_daily_limit"
	MsgReportReasonInvalid   MessageID = "comment.report_reason_invalid"
	MsgReportTextRequired    MessageID = "comment.report_text_required"
	MsgReportTextTooLong     MessageID = "comment.report_text_too_long"
	MsgReportOwn             MessageID = "comment.report_own"
	MsgReportTwice           MessageID = "comment.report_twice"
	MsgReportDailyLimit      MessageID = "comment.report_daily_limit"
)

// englishComments is the part of the English catalogue for comments and
// the commenting gate.
var englishComments = map[MessageID]string{
	MsgGateCommentsClosed:      "Comments are closed on this story.",
	MsgGateSignedOut:           "Sign in or subscribe to join the conversation.",
	MsgGateStoryNotReadable:    "Subscribe to read this story and join the conversation.",
	MsgGatePlanLacksCommenting: "Your subscription plan does not include commenting. See the plans that do.",
	MsgGateSuspended:           "Your commenting is suspended until %s. Reason: %s",
	MsgGateBanned:              "You can no longer comment on this site. Reason: %s",
	MsgGateEmailUnverified:     "Please verify your email address before you comment. We can send you a new verification link.",
	MsgGateDisplayNameRequired: "With your current subscription plan you can comment on stories. However, before writing your first comment, please create a display name in the Profile section of your subscriber account page.",

	MsgCommentEmpty:       "Please write something before posting.",
	MsgCommentTooLong:     "A comment can have at most %d characters; yours has %d.",
	MsgCommentInvalidText: "Your comment contains text that is not valid; please type it again.",

	MsgCommentNotFound:       "This comment does not exist or has been removed.",
	MsgCommentNotYours:       "You can only change or delete your own comments.",
	MsgCommentNotEditable:    "This comment can no longer be edited.",
	MsgCommentEditWindowOver: "A comment can only be edited within %d minutes of posting it.",
	MsgCommentEditHasReplies: "This comment can no longer be edited because someone has replied to it.",
	MsgCommentTooSoon:        "You can post one comment every %d seconds. Please wait a moment and try again.",
	MsgCommentDailyLimit:     "You have posted %d comments in the last 24 hours, the most allowed. Please try again later.",
	MsgCommentDuplicate:      "You posted this same comment a short while ago. Please write something new.",
	MsgCommentParentInvalid:  "The comment you are replying to is no longer available.",
	MsgCommentSortInvalid:    "Comments can be sorted by newest, oldest or most respected.",
	MsgCommentCursorInvalid:  "This page of comments is no longer available. Please reload the story.",
	MsgRespectOwn:            "You cannot respect your own comment.",
	MsgRespectDailyLimit:     "You have given %d respects in the last 24 hours, the most allowed. Please try again later.",
	MsgReportReasonInvalid:   "Please choose why you are reporting this comment: spam, abuse, off-topic or other.",
	MsgReportTextRequired:    "Please tell us what is wrong with this comment.",
	MsgReportTextTooLong:     "A report can have at most %d characters; yours has %d.",
	MsgReportOwn:             "You cannot report your own comment.",
	MsgReportTwice:           "You have already reported this comment. Our moderators will look at it.",
	MsgReportDailyLimit:      "You have sent %d reports in the last 24 hours, the most allowed. Please try again later.",
}
