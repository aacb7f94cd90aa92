package masthead

// Messages of moderators' actions on subscribers.
var englishUsers = map[MessageID]string{}
