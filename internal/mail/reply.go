package mail

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"masthead"
)

// commentReply returns the subject and paragraphs of an EmailCommentReply
// message: the replies it quotes, each with a link to it, how many more
// there are, and a link to the story's discussion. Its unsubscribe link
// comes from its token (see unsubscribeURL).
func (r renderer) commentReply() (string, []block, error) {
	headline, err := r.required(masthead.ReplyDataHeadline)
	if err != nil {
		return "", nil, err
	}
	headline = oneLine(headline)
	storyPath, err := r.sitePath(masthead.ReplyDataStoryPath)
	if err != nil {
		return "", nil, err
	}
	s, err := r.required(masthead.ReplyDataReplies)
	if err != nil {
		return "", nil, err
	}
	var replies []masthead.ReplyNotice
	if err := json.Unmarshal([]byte(s), &replies); err != nil || len(replies) == 0 {
		return "", nil, fmt.Errorf("%w: %s message %d: replies are not a list of replies", ErrPermanent, r.m.Kind, r.m.ID)
	}
	count, _ := strconv.Atoi(r.m.Data[masthead.ReplyDataCount])
	count = max(count, len(replies))

	subject := r.msg(masthead.MsgMailCommentReplySubject, headline)
	blocks := []block{{Text: r.msg(masthead.MsgMailCommentReplyIntro, headline)}}
	if count > 1 {
		subject = r.msg(masthead.MsgMailCommentReplySubjectMany, count, headline)
		blocks[0].Text = r.msg(masthead.MsgMailCommentReplyIntroMany, count, headline)
	}
	for _, rep := range replies {
		if !localPath(rep.Path) {
			return "", nil, fmt.Errorf("%w: %s message %d: a reply's path %q is not a site path", ErrPermanent, r.m.Kind, r.m.ID, rep.Path)
		}
		blocks = append(blocks,
			block{Text: r.msg(masthead.MsgMailCommentReplyWrote, oneLine(rep.Name))},
			block{Text: oneLine(rep.Excerpt), Quote: true},
			block{Label: r.msg(masthead.MsgMailCommentReplyView), URL: r.link(rep.Path, ""), Inline: true})
	}
	if more := count - len(replies); more > 0 {
		blocks = append(blocks, block{Text: r.msg(masthead.MsgMailCommentReplyMore, more)})
	}
	blocks = append(blocks,
		block{Label: r.msg(masthead.MsgMailCommentReplyStory), URL: r.link(storyPath+"#comments", "")},
		block{Text: r.msg(masthead.MsgMailCommentReplyWhy)})
	return subject, blocks, nil
}

// sitePath returns m.Data[key], which must be a path on the site; a
// permanent error otherwise.
func (r renderer) sitePath(key string) (string, error) {
	p, err := r.required(key)
	if err != nil {
		return "", err
	}
	if !localPath(p) {
		return "", fmt.Errorf("%w: %s message %d: %s %q is not a site path", ErrPermanent, r.m.Kind, r.m.ID, key, p)
	}
	return p, nil
}

// localPath reports whether p is a path on the site: it starts with a
// single "/" and holds no space, control character, backslash or non-ASCII
// byte, so that it cannot lead to another host once put after the base URL.
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c >= 0x7f || c == '\\' || c == '"' || c == '<' || c == '>' {
			return false
		}
	}
	return true
}
