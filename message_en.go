package masthead

// Message IDs used by the domain itself. Adapters define their own IDs as
// plain strings in this catalogue (for example "page.home.title").
const (
	MsgInternalError       MessageID = "error.internal"
	MsgStoryNotFound       MessageID = "story.not_found"
	MsgSectionNotFound     MessageID = "section.not_found"
	MsgAuthorNotFound      MessageID = "author.not_found"
	MsgTagNotFound         MessageID = "tag.not_found"
	MsgHeadlineRequired    MessageID = "story.headline_required"
	MsgHeadlineTooLong     MessageID = "story.headline_too_long"
	MsgDekTooLong          MessageID = "story.dek_too_long"
	MsgSlugInvalid         MessageID = "story.slug_invalid"
	MsgBodyRequired        MessageID = "story.body_required"
	MsgSectionRequired     MessageID = "story.section_required"
	MsgAccessInvalid       MessageID = "story.access_invalid"
	MsgCommentsModeInvalid MessageID = "story.comments_invalid"
	MsgStatusInvalid       MessageID = "story.status_invalid"
	MsgFormatInvalid       MessageID = "story.format_invalid"
	MsgPublishTimeRequired MessageID = "story.publish_time_required"
	MsgAuthorRequired      MessageID = "story.author_required"
	MsgNameInvalid         MessageID = "name.invalid"
	MsgCursorInvalid       MessageID = "cursor.invalid"
	MsgSearchQueryTooLong  MessageID = "search.query_too_long"
)

// english is the English catalogue.
var english = map[MessageID]string{
	MsgInternalError:       "Something went wrong on our side. Please try again in a moment.",
	MsgStoryNotFound:       "We could not find that story.",
	MsgSectionNotFound:     "We could not find that section.",
	MsgAuthorNotFound:      "We could not find that author.",
	MsgTagNotFound:         "We could not find that tag.",
	MsgHeadlineRequired:    "A story needs a headline.",
	MsgHeadlineTooLong:     "A headline can be at most %d characters long.",
	MsgDekTooLong:          "A dek can be at most %d characters long.",
	MsgSlugInvalid:         "A slug may contain only lower-case letters, digits and hyphens, and must start and end with a letter or digit (at most %d characters): %q is not one.",
	MsgBodyRequired:        "A story needs a body.",
	MsgSectionRequired:     "A story needs a section.",
	MsgAccessInvalid:       "Access must be free, metered or premium, not %q.",
	MsgCommentsModeInvalid: "Comments must be open or closed, not %q.",
	MsgStatusInvalid:       "Status must be draft, scheduled or published, not %q.",
	MsgFormatInvalid:       "The body format must be markdown or text, not %q.",
	MsgPublishTimeRequired: "A scheduled or published story needs a publication time.",
	MsgAuthorRequired:      "Every author needs a name.",
	MsgNameInvalid:         "A name needs at least one letter or digit.",
	MsgCursorInvalid:       "That page link is not valid; please start again from the first page.",
	MsgSearchQueryTooLong:  "A search can be at most %d characters long.",
}
