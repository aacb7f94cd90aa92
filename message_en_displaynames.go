package masthead

// Message IDs of the display-name rules.
const (
	MsgDisplayNameEmpty         MessageID = "displayname.empty"
	MsgDisplayNameTooShort      MessageID = "displayname.too_short"
	MsgDisplayNameTooLong       MessageID = "displayname.too_long"
	MsgDisplayNameBadChar       MessageID = "displayname.bad_char"
	MsgDisplayNameInvisibleChar MessageID = "displayname.invisible_char"
	MsgDisplayNameStrayMark     MessageID = "displayname.stray_mark"
	MsgDisplayNameTooManyMarks  MessageID = "displayname.too_many_marks"
	MsgDisplayNameNoLetter      MessageID = "displayname.no_letter"
	MsgDisplayNameMixedScript   MessageID = "displayname.mixed_script"
	MsgDisplayNameUnreadable    MessageID = "displayname.unreadable"
	MsgDisplayNameNotAllowed    MessageID = "displayname.not_allowed"
	MsgDisplayNameReserved      MessageID = "displayname.reserved"
	MsgDisplayNameTaken         MessageID = "displayname.taken"
)

// englishDisplayNames is the part of the English catalogue for display names.
var englishDisplayNames = map[MessageID]string{
	MsgDisplayNameEmpty:         "Please enter a display name.",
	MsgDisplayNameTooShort:      "Your display name needs at least %d characters.",
	MsgDisplayNameTooLong:       "Your display name can have at most %d characters.",
	MsgDisplayNameBadChar:       "Your display name contains a character that is not allowed: %s. Please use only letters, digits, spaces and . _ - '.",
	MsgDisplayNameInvisibleChar: "Your display name contains a character that is not allowed: %s. It is invisible or changes how text is shown, and often comes with pasted text; please type the name again.",
	MsgDisplayNameStrayMark:     "Your display name has an accent or mark that is not on a letter: %s. Please put it on the letter it belongs to.",
	MsgDisplayNameTooManyMarks:  "Your display name has too many accents or marks on one letter: at most %d are allowed.",
	MsgDisplayNameNoLetter:      "Your display name needs at least one letter.",
	MsgDisplayNameMixedScript:   "Your display name mixes %s letters with %s letters (such as %s), which can make it look like someone else's name. Please write it in one script.",
	MsgDisplayNameUnreadable:    "Your display name could not be read. Please type it again.",
	MsgDisplayNameNotAllowed:    "Your display name cannot be used as it is written. Please use only letters, digits, spaces and . _ - '.",
	MsgDisplayNameReserved:      "That name is reserved for the site and its staff. Please choose another.",
	MsgDisplayNameTaken:         "That name is too similar to a name already in use. Please choose another.",
}
