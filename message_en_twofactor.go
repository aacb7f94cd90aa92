package masthead

// Messages of two-factor sign-in.
var englishTwoFactor = map[MessageID]string{}
