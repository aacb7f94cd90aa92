package masthead

// englishDisplayNames is the part of the English catalogue for display names.
var englishDisplayNames = map[MessageID]string{}
