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
}
