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

// englishStories is the part of the English catalogue for stories and the
// reading pages.
var englishStories = map[MessageID]string{
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

	// Web: layout, navigation and formats (internal/web). Date formats are
	// Go time layouts, applied in the site's time zone.
	"site.title_format": "%s | %s",
	"format.date":       "2 January 2006",
	"format.datetime":   "2 January 2006, 15:04 MST",
	"nav.skip":          "Skip to content",
	"nav.sections":      "Sections",
	"nav.home":          "Front page",
	"search.label":      "Search stories",
	"search.site":       "Site search",
	"search.button":     "Search",
	"footer.feeds":      "Follow",
	"footer.copyright":  "© %d %s",
	"feed.atom_link":    "Atom feed",
	"feed.rss_link":     "RSS feed",
	"list.separator":    ", ",
	"list.and":          " and ",

	// Web: pages.
	"page.home.heading":         "Latest stories from %s",
	"page.home.description":     "The latest stories from %s.",
	"page.home.more_in":         "More in %s",
	"page.home.empty":           "No stories have been published yet.",
	"page.section.description":  "The latest stories in %s from %s.",
	"page.tag.heading":          "Stories about %s",
	"page.tag.description":      "Stories about %s from %s.",
	"page.author.heading":       "Stories by %s",
	"page.author.description":   "Stories by %s for %s.",
	"page.list.empty":           "There are no stories here yet.",
	"page.search.title":         "Search",
	"page.search.heading":       "Search",
	"page.search.results_title": "Search results for %s",
	"page.search.description":   "Search the stories of %s.",
	"pagination.label":          "More stories",
	"pagination.older":          "Older stories",
	"search.results_heading":    "Results for “%s”",
	"search.no_results":         "No stories matched “%s”. Try fewer or different words.",

	// Web: stories.
	"story.read_more":       "Read more",
	"story.read_more_about": "Read more: %s",
	"story.by":              "By",
	"story.published":       "Published",
	"story.updated":         "Updated",
	"story.access":          "Access",
	"story.tags":            "Topics",
	"story.comments_closed": "Comments are closed for this story.",
	"access.free":           "Free to read",
	"access.metered":        "Subscribers (metered)",
	"access.premium":        "Premium",

	// Web: feeds.
	"feed.site.description":    "The latest stories from %s.",
	"feed.section.title":       "%s: %s",
	"feed.section.description": "The latest stories in %s from %s.",

	// Web: errors and operations.
	"error.title.invalid":      "Something is wrong with that request",
	"error.title.unauthorized": "Please sign in",
	"error.title.forbidden":    "You cannot do that",
	"error.title.not_found":    "Page not found",
	"error.title.conflict":     "That clashes with something else",
	"error.title.rate_limited": "Too many requests",
	"error.title.internal":     "Something went wrong",
	"error.page_not_found":     "We could not find that page. It may have moved, or the address may be mistyped.",
	"error.request_id":         "If this keeps happening, please quote this reference: %s",
	"error.go_home":            "Go to the front page",
	"error.cross_origin":       "This request came from another site and was refused.",
	"error.rate_limited":       "Too many requests. Please wait a moment and try again.",
	"api.limit_invalid":        "The limit must be a whole number from 1 to %d.",
	"ops.not_ready":            "not ready",
}
