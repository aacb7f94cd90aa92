package masthead

// Messages of moderation queues and the commenting policy.
var englishModeration = map[MessageID]string{
	// The commenting policy and the settings page.
	MsgCommentBannedWord:                "Your comment includes “%s”, which is not allowed in comments here. Please remove or reword it, then post again.",
	MsgCommentHeld:                      "Your comment is awaiting review. Only you can see it until a moderator approves it.",
	MsgCommentEditOff:                   "Comments cannot be edited on this site.",
	MsgPolicyPremoderationInvalid:       "Choose whether comments are pre-moderated: off or all.",
	MsgPolicyNumberRange:                "Enter a whole number from %d to %d.",
	MsgPolicyTooManyWords:               "A word list can hold at most %d entries; this one has %d.",
	MsgPolicyWordTooLong:                "Each entry can be at most %d characters; this one is longer: “%s”.",
	MsgPolicyWordNoText:                 "This entry has no letters or digits to match: “%s”.",
	"comments.awaiting_review":          "Awaiting review",
	"admin.nav.settings":                "Settings",
	"admin.settings.heading":            "Settings",
	"admin.settings.saved":              "The commenting policy is saved. It applies to new comments within a few seconds.",
	"admin.settings.comments":           "Commenting",
	"admin.settings.enabled":            "Commenting is on across the site (when off, existing comments stay readable)",
	"admin.settings.premod":             "Pre-moderation",
	"admin.settings.premod_off":         "Off: comments are published at once and moderated afterwards",
	"admin.settings.premod_all":         "All: every comment waits for a moderator",
	"admin.settings.new_commenter":      "Hold a new commenter's comments until this many are published",
	"admin.settings.new_commenter_hint": "0 turns this off.",
	"admin.settings.hold_links":         "Hold comments that contain a link",
	"admin.settings.words":              "Words",
	"admin.settings.banned":             "Banned words and phrases",
	"admin.settings.banned_hint":        "One a line. A comment containing one is refused, and its author is asked to reword it. Matching ignores case, accents, spacing tricks and look-alike letters, and matches whole words.",
	"admin.settings.suspect":            "Suspect words and phrases",
	"admin.settings.suspect_hint":       "One a line. A comment containing one is held for a moderator.",
	"admin.settings.timing":             "Editing and closing",
	"admin.settings.edit_window":        "Edit window, in minutes",
	"admin.settings.edit_window_hint":   "How long an author may edit a comment after posting it; 0 turns editing off.",
	"admin.settings.auto_close":         "Close comments automatically after this many days",
	"admin.settings.auto_close_hint":    "Counted from a story's publication; 0 never closes them. A story can set its own.",
	"admin.settings.submit":             "Save the policy",
	"admin.settings.number_invalid":     "Enter a whole number.",
	// The moderation queues.
	MsgModQueueInvalid:    "There is no such moderation queue.",
	MsgModActionInvalid:   "Choose an action: approve, reject, feature, unfeature or restore.",
	MsgModNoComments:      "Choose at least one comment.",
	MsgModTooMany:         "At most %d comments can be changed at once.",
	MsgModReasonRequired:  "Give a reason for rejecting; the commenter will see it.",
	MsgModReasonTooLong:   "The reason can be at most %d characters; it has %d.",
	MsgModNotFound:        "Comment %d does not exist.",
	MsgModCannotApprove:   "Comment %d is neither waiting for approval nor reported.",
	MsgModCannotReject:    "Comment %d is already rejected or deleted.",
	MsgModCannotFeature:   "Comment %d is not published, or is already featured.",
	MsgModCannotUnfeature: "Comment %d is not featured.",
	MsgModCannotRestore:   "Comment %d is not rejected.",
	MsgModAuthorDeleted:   "Comment %d cannot be published: its author's account has been deleted.",
	MsgModParentHidden:    "Comment %d replies to a comment that is waiting for approval: approve the comment it replies to first.",
	MsgModSomeSkipped:     "%d of %d comments were changed. Not changed: %s",
	MsgModMoreSkipped:     "And %d more.",

	"admin.nav.moderation":                "Moderation (%s pending, %s reported)",
	"admin.nav.moderation_plain":          "Moderation",
	"admin.moderation.heading":            "Moderation",
	"admin.moderation.queues":             "Moderation queues",
	"admin.moderation.queue.pending":      "Pending",
	"admin.moderation.queue.reported":     "Reported",
	"admin.moderation.queue.rejected":     "Rejected",
	"admin.moderation.queue.recent":       "Recent",
	"admin.moderation.empty":              "Nothing here.",
	"admin.moderation.next":               "Next page",
	"admin.moderation.pages":              "Pages of the queue",
	"admin.moderation.done":               "%s comments changed.",
	"admin.moderation.done_one":           "1 comment changed.",
	"admin.moderation.comment":            "Comment %d",
	"admin.moderation.on_story":           "On",
	"admin.moderation.in_reply_to":        "In reply to %s:",
	"admin.moderation.parent_removed":     "In reply to a removed comment.",
	"admin.moderation.by":                 "By",
	"admin.moderation.posted":             "Posted",
	"admin.moderation.status":             "Status",
	"admin.moderation.featured":           "Featured",
	"admin.moderation.hold_reason":        "Held because",
	"admin.moderation.reject_reason":      "Rejected because",
	"admin.moderation.deleted_author":     "Deleted account",
	"admin.moderation.no_name":            "No display name",
	"admin.moderation.author":             "The author",
	"admin.moderation.joined":             "Joined %s, %s days ago",
	"admin.moderation.author_counts":      "Published %s · pending %s · rejected %s",
	"admin.moderation.names":              "Display names: %s",
	"admin.moderation.actions_taken":      "Earlier staff actions",
	"admin.moderation.action_taken":       "%s by %s on %s: %s",
	"admin.moderation.warnings":           "Warnings: %s",
	"admin.moderation.banned":             "Banned from commenting: %s",
	"admin.moderation.suspended":          "Suspended from commenting until %s: %s",
	"admin.moderation.reports":            "Reports (%s)",
	"admin.moderation.report":             "%s, reported by %s",
	"admin.moderation.reporter_gone":      "a deleted account",
	"admin.moderation.select":             "Select comment %d",
	"admin.moderation.reason":             "Reason for rejecting",
	"admin.moderation.reason_hint":        "Required to reject. The commenter is sent it by email.",
	"admin.moderation.approve":            "Approve",
	"admin.moderation.keep":               "Keep, dismissing the reports",
	"admin.moderation.reject":             "Reject",
	"admin.moderation.feature":            "Feature",
	"admin.moderation.unfeature":          "Unfeature",
	"admin.moderation.restore":            "Restore",
	"admin.moderation.bulk":               "Act on the selected comments",
	"admin.moderation.bulk_hint":          "Select comments with their checkboxes, then choose what to do with them. Comments the action does not apply to are left as they are.",
	"admin.moderation.bulk_action":        "Action",
	"admin.moderation.bulk_reason":        "Reason (required to reject)",
	"admin.moderation.bulk_apply":         "Apply to the selected comments",
	"admin.moderation.choose":             "Choose an action",
	"admin.moderation.shortcuts":          "Keyboard shortcuts",
	"admin.moderation.shortcuts_show":     "Keyboard shortcuts (?)",
	"admin.moderation.key.j":              "Next comment",
	"admin.moderation.key.k":              "Previous comment",
	"admin.moderation.key.a":              "Approve the comment",
	"admin.moderation.key.r":              "Reject: go to the reason field (type the reason, then Enter)",
	"admin.moderation.key.f":              "Feature the comment",
	"admin.moderation.key.x":              "Select or unselect the comment",
	"admin.moderation.key.help":           "Show or hide this list",
	"admin.moderation.js.approved":        "Comment {id} approved.",
	"admin.moderation.js.featured":        "Comment {id} featured.",
	"admin.moderation.js.failed":          "Comment {id} was not changed: {message}",
	"admin.moderation.status.published":   "Published",
	"admin.moderation.status.pending":     "Waiting for approval",
	"admin.moderation.status.rejected":    "Rejected",
	"admin.moderation.status.deleted":     "Deleted by its author",
	"admin.moderation.hold.premoderation": "Every comment is held for review",
	"admin.moderation.hold.story":         "This story's comments are held for review",
	"admin.moderation.hold.new_commenter": "New commenter",
	"admin.moderation.hold.link":          "It contains a link",
	"admin.moderation.hold.suspect_word":  "It contains a suspect word",
	"admin.moderation.report.spam":        "Spam",
	"admin.moderation.report.abuse":       "Abuse",
	"admin.moderation.report.off_topic":   "Off topic",
	"admin.moderation.report.other":       "Other",
}

// Message IDs of the commenting policy.
const (
	MsgCommentBannedWord          MessageID = "comment.banned_word"
	MsgCommentHeld                MessageID = "comment.held"
	MsgCommentEditOff             MessageID = "comment.edit_off"
	MsgPolicyPremoderationInvalid MessageID = "policy.premoderation_invalid"
	MsgPolicyNumberRange          MessageID = "policy.number_range"
	MsgPolicyTooManyWords         MessageID = "policy.too_many_words"
	MsgPolicyWordTooLong          MessageID = "policy.word_too_long"
	MsgPolicyWordNoText           MessageID = "policy.word_no_text"
)

// Message IDs of the moderation queues.
const (
	MsgModQueueInvalid    MessageID = "moderation.queue_invalid"
	MsgModActionInvalid   MessageID = "moderation.action_invalid"
	MsgModNoComments      MessageID = "moderation.no_comments"
	MsgModTooMany         MessageID = "moderation.too_many"
	MsgModReasonRequired  MessageID = "moderation.reason_required"
	MsgModReasonTooLong   MessageID = "moderation.reason_too_long"
	MsgModNotFound        MessageID = "moderation.not_found"
	MsgModCannotApprove   MessageID = "moderation.cannot_approve"
	MsgModCannotReject    MessageID = "moderation.cannot_reject"
	MsgModCannotFeature   MessageID = "moderation.cannot_feature"
	MsgModCannotUnfeature MessageID = "moderation.cannot_unfeature"
	MsgModCannotRestore   MessageID = "moderation.cannot_restore"
	MsgModAuthorDeleted   MessageID = "moderation.author_deleted"
	MsgModParentHidden    MessageID = "moderation.parent_hidden"
	MsgModSomeSkipped     MessageID = "moderation.some_skipped"
	MsgModMoreSkipped     MessageID = "moderation.more_skipped"
)
