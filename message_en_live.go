package masthead

// englishLive is the part of the English catalogue for the live comment
// stream and the comment section's script (internal/web's live.go and
// static/comments.js). "{n}" is where the script puts a number.
var englishLive = map[MessageID]string{
	"comments.live.counter":           "%s of %s",
	"comments.live.send_error":        "Your comment could not be sent. Please check your connection and try again.",
	"comments.live.new_one":           "1 new comment — show it",
	"comments.live.new_many":          "%s new comments — show them",
	"comments.live.too_many":          "Too many live comment streams are open. Please close some pages and try again.",
	"comments.live.unavailable":       "Live comments are restarting. Please try again in a moment.",
	"comments.live.bad_last_event_id": "The last event ID must be a whole number.",
}
