package masthead

import "fmt"

// MessageID names one sentence in the message catalogue. Every sentence a
// reader or a staff member sees is looked up by its MessageID, so that the
// wording lives in one place and can be translated.
type MessageID string

// Locale is a language tag such as "en". Only English has a catalogue today.
type Locale string

// DefaultLocale is the locale used when a site names none, or one without a
// catalogue.
const DefaultLocale Locale = "en"

// Msg returns the English text of id, formatted with args as by fmt.Sprintf.
func Msg(id MessageID, args ...any) string {
	return MsgIn(DefaultLocale, id, args...)
}

// MsgIn returns the text of id in locale, falling back to English and then
// to the ID itself, so that a missing entry shows up plainly instead of as
// an empty string.
func MsgIn(locale Locale, id MessageID, args ...any) string {
	text, ok := catalogues[locale].lookup(id)
	if !ok {
		text, ok = catalogues[DefaultLocale].lookup(id)
	}
	if !ok {
		return string(id)
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// HasMsg reports whether the English catalogue has an entry for id.
func HasMsg(id MessageID) bool {
	_, ok := catalogues[DefaultLocale].lookup(id)
	return ok
}

// catalogue is one locale's messages, in the parts they are written in
// (one per area of the product, each in its own message_*_*.go file, so
// that areas grow their sentences independently). The parts are searched
// in turn rather than merged into one map, which would hold every
// sentence twice for the life of the process. An ID may appear in only
// one part; a test checks that.
type catalogue []map[MessageID]string

// lookup returns the text of id and whether the catalogue has it.
func (c catalogue) lookup(id MessageID) (string, bool) {
	for _, part := range c {
		if text, ok := part[id]; ok {
			return text, true
		}
	}
	return "", false
}

// catalogues holds every catalogue by locale. It is never written after
// initialisation.
var catalogues = map[Locale]catalogue{
	DefaultLocale: englishParts,
}

// englishParts are the parts of the English catalogue.
var englishParts = catalogue{
	englishStories,
	englishAccounts,
	englishDisplayNames,
	englishAccountPages,
	englishMail,
	englishPlans,
	englishReading,
	englishComments,
	englishLive,
	englishStaff,
	englishEditor,
	englishModeration,
	englishUsers,
	englishTwoFactor,
}
