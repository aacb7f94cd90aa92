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
	text, ok := catalogues[locale][id]
	if !ok {
		text, ok = catalogues[DefaultLocale][id]
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
	_, ok := catalogues[DefaultLocale][id]
	return ok
}

// catalogues holds every catalogue by locale. It is never written after
// initialisation.
var catalogues = map[Locale]map[MessageID]string{
	DefaultLocale: english,
}

// english is the English catalogue, assembled from one part per area of the
// product (each in its own message_en_*.go file, so that areas can grow
// their sentences independently). An ID may appear in only one part; a test
// checks that.
var english = mergeCatalogues(englishParts...)

// englishParts are the parts of the English catalogue.
var englishParts = []map[MessageID]string{
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

func mergeCatalogues(parts ...map[MessageID]string) map[MessageID]string {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make(map[MessageID]string, n)
	for _, p := range parts {
		for id, text := range p {
			out[id] = text
		}
	}
	return out
}
