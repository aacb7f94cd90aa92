package mail

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"masthead"
)

// The Data keys of the moderation emails (see masthead/outbox.go).
const (
	dataStoryHeadline = "story_headline"
	// dataStorySlug names the story, whose discussion the message links
	// to; dataStoryURL, an absolute URL on the site, may stand in for it.
	dataStorySlug = "story_slug"
	dataStoryURL  = "story_url"
	dataExcerpt   = "excerpt"
	dataReason    = "reason"
	dataUntil     = "until"
	dataOldName   = "old_name"
)

// pathProfile is the Profile section of the account page, where a display
// name is chosen.
const pathProfile = "/account/profile"

// storyLink returns the absolute URL of the message's story discussion:
// from its slug, or from its URL when that is on the site.
func (r renderer) storyLink() (string, error) {
	if slug := r.m.Data[dataStorySlug]; slug != "" {
		return r.link("/stories/"+url.PathEscape(slug)+"#comments", ""), nil
	}
	u := r.m.Data[dataStoryURL]
	if u == "" {
		return "", fmt.Errorf("%w: %s message %d has neither %q nor %q", ErrPermanent, r.m.Kind, r.m.ID, dataStorySlug, dataStoryURL)
	}
	rest, ok := strings.CutPrefix(u, r.cfg.BaseURL)
	if !ok || !localPath(strings.SplitN(rest, "#", 2)[0]) {
		return "", fmt.Errorf("%w: %s message %d: story URL %q is not on the site", ErrPermanent, r.m.Kind, r.m.ID, u)
	}
	if !strings.Contains(rest, "#") {
		u += "#comments"
	}
	return u, nil
}

// commentModerated returns the subject and paragraphs of an
// EmailCommentApproved or EmailCommentRejected message: what the
// moderator decided on which story, the comment's excerpt, the reason of
// a rejection, and a link to the discussion.
func (r renderer) commentModerated() (string, []block, error) {
	headline, err := r.required(dataStoryHeadline)
	if err != nil {
		return "", nil, err
	}
	headline = oneLine(headline)
	story, err := r.storyLink()
	if err != nil {
		return "", nil, err
	}
	site := r.cfg.SiteName
	var subject string
	var blocks []block
	quoted := func(s string) {
		if s = strings.TrimSpace(oneLine(s)); s != "" {
			blocks = append(blocks, block{Text: s, Quote: true})
		}
	}
	if r.m.Kind == masthead.EmailCommentApproved {
		subject = r.msg(masthead.MsgMailCommentApprovedSubject, site, headline)
		blocks = append(blocks, block{Text: r.msg(masthead.MsgMailCommentApprovedIntro, headline)})
		if ex := r.m.Data[dataExcerpt]; ex != "" {
			blocks = append(blocks, block{Text: r.msg(masthead.MsgMailCommentYours)})
			quoted(ex)
		}
	} else {
		reason, err := r.required(dataReason)
		if err != nil {
			return "", nil, err
		}
		subject = r.msg(masthead.MsgMailCommentRejectedSubject, site, headline)
		blocks = append(blocks, block{Text: r.msg(masthead.MsgMailCommentRejectedIntro, headline)})
		if ex := r.m.Data[dataExcerpt]; ex != "" {
			blocks = append(blocks, block{Text: r.msg(masthead.MsgMailCommentYours)})
			quoted(ex)
		}
		blocks = append(blocks, block{Text: r.msg(masthead.MsgMailCommentRejectedReason)})
		quoted(reason)
		blocks = append(blocks, block{Text: r.msg(masthead.MsgMailCommentRejectedHidden)})
	}
	blocks = append(blocks, block{Label: r.msg(masthead.MsgMailCommentStory), URL: story})
	return subject, blocks, nil
}

// accountModerated returns the subject and paragraphs of a moderator's
// action on the account: a warning, a suspension (until its end), a ban
// or a display-name reset, each with the moderator's reason.
func (r renderer) accountModerated() (string, []block, error) {
	reason, err := r.required(dataReason)
	if err != nil {
		return "", nil, err
	}
	site := r.cfg.SiteName
	quote := block{Text: strings.TrimSpace(oneLine(reason)), Quote: true}
	text := func(id masthead.MessageID, args ...any) block { return block{Text: r.msg(id, args...)} }
	visit := block{Label: r.msg(masthead.MsgMailAccountVisit), URL: r.link("/", "")}
	switch r.m.Kind {
	case masthead.EmailAccountWarned:
		return r.msg(masthead.MsgMailAccountWarnedSubject, site), []block{
			text(masthead.MsgMailAccountWarnedIntro, site), quote,
			text(masthead.MsgMailAccountWarnedNext),
			text(masthead.MsgMailAccountCivil), visit,
		}, nil
	case masthead.EmailAccountSuspended:
		s, err := r.required(dataUntil)
		if err != nil {
			return "", nil, err
		}
		until, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return "", nil, fmt.Errorf("%w: %s message %d: until: %w", ErrPermanent, r.m.Kind, r.m.ID, err)
		}
		return r.msg(masthead.MsgMailAccountSuspendedSubject, site), []block{
			text(masthead.MsgMailAccountSuspendedIntro, site, r.datetime(until)), quote,
			text(masthead.MsgMailAccountSuspendedNext),
			text(masthead.MsgMailAccountCivil),
		}, nil
	case masthead.EmailAccountBanned:
		return r.msg(masthead.MsgMailAccountBannedSubject, site), []block{
			text(masthead.MsgMailAccountBannedIntro, site), quote,
			text(masthead.MsgMailAccountBannedNext),
		}, nil
	}
	old, err := r.required(dataOldName)
	if err != nil {
		return "", nil, err
	}
	return r.msg(masthead.MsgMailNameResetSubject, site), []block{
		text(masthead.MsgMailNameResetIntro, oneLine(old), site), quote,
		text(masthead.MsgMailNameResetNext),
		{Label: r.msg(masthead.MsgMailNameResetAction), URL: r.link(pathProfile, "")},
	}, nil
}
