package masthead

// englishReading is the part of the English catalogue for the paywall, the
// meter, plans pages and gift links as readers see them.
var englishReading = map[MessageID]string{}
