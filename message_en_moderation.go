package masthead

// Messages of moderation queues and the commenting policy.
var englishModeration = map[MessageID]string{}
