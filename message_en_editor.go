package masthead

// Messages of the story editor.
var englishEditor = map[MessageID]string{}
