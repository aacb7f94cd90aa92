package masthead

import (
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of the commenting policy's numbers.
const (
	// MaxNewCommenterApprovals is the most published comments a new
	// commenter may be asked to have before their comments publish.
	MaxNewCommenterApprovals = 100
	// MaxEditWindow is the longest edit window.
	MaxEditWindow = 24 * time.Hour
	// MaxAutoCloseDays is the latest automatic closing of comments.
	MaxAutoCloseDays = 3650
)

// Why a comment is held for review (ModerationItem.HoldReason, and the
// comments' hold_reason column).
const (
	// HoldPremoderation: the site pre-moderates every comment.
	HoldPremoderation = "premoderation"
	// HoldStory: the story pre-moderates its comments.
	HoldStory = "story"
	// HoldNewCommenter: the author has fewer published comments than
	// CommentPolicy.NewCommenterApprovals.
	HoldNewCommenter = "new_commenter"
	// HoldLink: the comment contains a link and the policy holds links.
	HoldLink = "link"
	// HoldSuspectWord: the comment contains a suspect word.
	HoldSuspectWord = "suspect_word"
)

// VerdictAction is what becomes of a new or edited comment.
type VerdictAction string

// The verdicts of ModerateComment.
const (
	// VerdictPublish publishes the comment at once.
	VerdictPublish VerdictAction = "publish"
	// VerdictHold stores the comment as pending, for a moderator.
	VerdictHold VerdictAction = "hold"
	// VerdictRefuse refuses the comment; nothing is stored.
	VerdictRefuse VerdictAction = "refuse"
)

// Verdict is the commenting policy's decision on a comment.
type Verdict struct {
	Action VerdictAction
	// HoldReason is one of the Hold* reasons, for VerdictHold.
	HoldReason string
	// Message tells the commenter what to change, for VerdictRefuse.
	Message string
	// Match is where a banned or suspect word matched, if one did.
	Match WordMatch
}

// Err returns a refusal as an EINVALID error about the field "body"; nil
// for any other verdict.
func (v Verdict) Err() error {
	if v.Action != VerdictRefuse {
		return nil
	}
	return FieldError("body", v.Message)
}

// ModerationInput is everything ModerateComment looks at.
type ModerationInput struct {
	Policy CommentPolicy
	// Banned and Suspect are the policy's word lists compiled, when the
	// caller keeps them compiled; nil compiles them from Policy.
	Banned, Suspect *WordList
	// Body is the comment's text.
	Body string
	// StoryPremoderated is the story's own pre-moderation.
	StoryPremoderated bool
	// AuthorStaff exempts staff from being held (banned words still
	// refuse their comments).
	AuthorStaff bool
	// AuthorPublished is how many of the author's comments are published
	// (counting may stop at the policy's NewCommenterApprovals).
	AuthorPublished int
	// Edit is set for an author's edit of a published comment: the
	// new-commenter rule, which the comment passed when posted, is not
	// applied again, but the others are.
	Edit bool
}

// maxQuotedMatch is the most characters of a banned word's match that a
// refusal quotes back.
const maxQuotedMatch = 60

// ModerateComment decides what becomes of a comment under the policy.
//
// A banned word refuses it, with a message that quotes what the commenter
// wrote (never the list) and asks them to reword it. Otherwise it is held
// for review, with the first of these reasons that applies: a suspect
// word; a link, when the policy holds links; the site's pre-moderation;
// the story's; and an author with fewer published comments than the
// policy's NewCommenterApprovals. Staff comments are never held.
// Otherwise it is published.
func ModerateComment(in ModerationInput) Verdict {
	p := &in.Policy
	banned, suspect := in.Banned, in.Suspect
	if banned == nil {
		banned = CompileWords(p.BannedWords)
	}
	if m, ok := banned.Match(in.Body); ok {
		return Verdict{Action: VerdictRefuse, Message: Msg(MsgCommentBannedWord, Excerpt(m.Text, maxQuotedMatch)), Match: m}
	}
	if in.AuthorStaff {
		return Verdict{Action: VerdictPublish}
	}
	hold := func(reason string) Verdict { return Verdict{Action: VerdictHold, HoldReason: reason} }
	if suspect == nil {
		suspect = CompileWords(p.SuspectWords)
	}
	if m, ok := suspect.Match(in.Body); ok {
		v := hold(HoldSuspectWord)
		v.Match = m
		return v
	}
	switch {
	case p.HoldLinks && ContainsLink(in.Body):
		return hold(HoldLink)
	case p.Premoderation == PremoderationAll:
		return hold(HoldPremoderation)
	case in.StoryPremoderated:
		return hold(HoldStory)
	case !in.Edit && p.NewCommenterApprovals > 0 && in.AuthorPublished < p.NewCommenterApprovals:
		return hold(HoldNewCommenter)
	}
	return Verdict{Action: VerdictPublish}
}

// linkTLDs are the top-level domains a bare domain name ("example.com")
// is recognised by as a link.
var linkTLDs = []string{"com", "net", "org", "info", "biz", "io", "co", "me", "ly", "xyz", "ru", "cn", "top", "site", "online", "shop", "app"}

// ContainsLink reports whether text contains a link: an http:// or
// https:// URL (as RenderCommentBody links them), a name starting "www.",
// or a domain name under a common top-level domain ("example.com/offer").
// Text is NFKC-normalised and lower-cased first, so that full-width
// letters don't hide one.
func ContainsLink(text string) bool {
	text = strings.ToLower(norm.NFKC.String(text))
	if indexURL(text) >= 0 {
		return true
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '.' || r == '-' || r == '/')
	}) {
		w = strings.Trim(w, ".-/")
		if strings.HasPrefix(w, "www.") && len(w) > len("www.") {
			return true
		}
		host, _, _ := strings.Cut(w, "/")
		labels := strings.Split(host, ".")
		if len(labels) < 2 || labels[0] == "" {
			continue
		}
		for _, tld := range linkTLDs {
			if labels[len(labels)-1] == tld {
				return true
			}
		}
	}
	return false
}

// Normalize tidies a policy as an administrator submitted it: an empty
// pre-moderation mode is off, and the word lists are normalised
// (NormalizeWordList).
func (p *CommentPolicy) Normalize() {
	if p.Premoderation == "" {
		p.Premoderation = PremoderationOff
	}
	p.BannedWords = NormalizeWordList(p.BannedWords)
	p.SuspectWords = NormalizeWordList(p.SuspectWords)
}

// Validate returns an EINVALID error naming the first field of the policy
// that is out of bounds; the fields are the settings form's.
func (p CommentPolicy) Validate() error {
	switch {
	case !p.Premoderation.Valid():
		return FieldError("premoderation", Msg(MsgPolicyPremoderationInvalid))
	case p.NewCommenterApprovals < 0 || p.NewCommenterApprovals > MaxNewCommenterApprovals:
		return FieldError("new_commenter_approvals", Msg(MsgPolicyNumberRange, 0, MaxNewCommenterApprovals))
	case p.EditWindow < 0 || p.EditWindow > MaxEditWindow || p.EditWindow%time.Minute != 0:
		return FieldError("edit_window", Msg(MsgPolicyNumberRange, 0, int(MaxEditWindow/time.Minute)))
	case p.AutoCloseDays < 0 || p.AutoCloseDays > MaxAutoCloseDays:
		return FieldError("auto_close_days", Msg(MsgPolicyNumberRange, 0, MaxAutoCloseDays))
	}
	for _, l := range []struct {
		field string
		words []string
	}{{"banned_words", p.BannedWords}, {"suspect_words", p.SuspectWords}} {
		if len(l.words) > MaxPolicyWords {
			return FieldError(l.field, Msg(MsgPolicyTooManyWords, MaxPolicyWords, len(l.words)))
		}
		for _, w := range l.words {
			if utf8.RuneCountInString(w) > MaxPolicyWordLen {
				return FieldError(l.field, Msg(MsgPolicyWordTooLong, MaxPolicyWordLen, w))
			}
			if !wordListHasText(w) {
				return FieldError(l.field, Msg(MsgPolicyWordNoText, w))
			}
		}
	}
	return nil
}

// CommentsCloseAt returns when comments on s close by themselves: its own
// CommentsCloseDays after publication, else the policy's autoCloseDays
// after it; zero when they never do.
func (s *Story) CommentsCloseAt(autoCloseDays int) time.Time {
	days := s.CommentsCloseDays
	if days <= 0 {
		days = autoCloseDays
	}
	if days <= 0 || s.PublishedAt.IsZero() {
		return time.Time{}
	}
	return s.PublishedAt.Add(time.Duration(days) * 24 * time.Hour)
}
