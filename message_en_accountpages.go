package masthead

// englishAccountPages is the part of the English catalogue for the account pages.
var englishAccountPages = map[MessageID]string{}
