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

	// The comment section, forms and API as internal/web shows them.
	"comments.heading":                  "Comments",
	"comments.none":                     "no comments yet",
	"comments.count_one":                "1 comment",
	"comments.count":                    "%s comments",
	"comments.be_first":                 "No comments yet.",
	"comments.sort_label":               "Sort comments",
	"comments.sort.newest":              "Newest",
	"comments.sort.oldest":              "Oldest",
	"comments.sort.respected":           "Most respected",
	"comments.pagination_label":         "More comments",
	"comments.more":                     "Show more comments",
	"comments.more_reply":               "Show 1 more reply",
	"comments.more_replies":             "Show %s more replies",
	"comments.replies_title":            "Replies to a comment on %s",
	"comments.replies_heading":          "Replies to %s",
	"comments.replies_heading_removed":  "Replies to a deleted comment",
	"comments.replies_back":             "All comments on this story",
	"comments.replies_start":            "This thread from its start",
	"comments.replies_nav":              "Back to the comments",
	"comments.deleted_account":          "deleted account",
	"comments.removed":                  "This comment was deleted.",
	"comments.staff":                    "Staff",
	"comments.featured":                 "Featured",
	"comments.edited":                   "edited",
	"comments.respects":                 "Respects: %s",
	"comments.respect":                  "Respect",
	"comments.unrespect":                "Take back respect",
	"comments.reply":                    "Reply",
	"comments.reply_label":              "Your reply to %s",
	"comments.post_reply":               "Post reply",
	"comments.body_label":               "Your comment",
	"comments.body_hint":                "Plain text: blank lines make paragraphs and web addresses become links. At most %s characters.",
	"comments.post":                     "Post comment",
	"comments.edit":                     "Edit",
	"comments.edit_label":               "Edit your comment",
	"comments.save":                     "Save changes",
	"comments.delete":                   "Delete",
	"comments.report":                   "Report",
	"comments.report_legend":            "Report this comment to the moderators",
	"comments.report_reason":            "Reason",
	"comments.reason.spam":              "Spam",
	"comments.reason.abuse":             "Abuse",
	"comments.reason.off_topic":         "Off-topic",
	"comments.reason.other":             "Other",
	"comments.report_text":              "What is wrong with it? (needed for Other)",
	"comments.report_send":              "Send report",
	"comments.back":                     "Back to the comment",
	"comments.gate_heading":             "Join the conversation",
	"comments.gate.sign_in":             "Sign in",
	"comments.gate.sign_up":             "Create an account",
	"comments.gate.subscribe":           "Subscribe",
	"comments.gate.plans":               "See plans",
	"comments.gate.profile":             "Create your display name",
	"comments.gate.resend":              "Send a new verification link",
	"comments.kept_label":               "The comment you wrote, kept so that you can copy it",
	"api.comment_body_invalid":          "The request body must be one JSON object with the documented members.",
	"time.just_now":                     "just now",
	"time.minute_ago":                   "1 minute ago",
	"time.minutes_ago":                  "%d minutes ago",
	"time.hour_ago":                     "1 hour ago",
	"time.hours_ago":                    "%d hours ago",
	"time.day_ago":                      "1 day ago",
	"time.days_ago":                     "%d days ago",
	"error.title.signed_out":            "Please sign in to comment",
	"error.title.comments_closed":       "Comments are closed",
	"error.title.story_not_readable":    "Subscribe to read and comment",
	"error.title.plan_lacks_commenting": "Your plan does not include commenting",
	"error.title.commenting_suspended":  "Commenting suspended",
	"error.title.email_unverified":      "Please verify your email",
	"error.title.display_name_required": "Please create a display name",
}
