package masthead

// englishMail is the part of the English catalogue for email messages.
var englishMail = map[MessageID]string{}
