package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"masthead"
)

// FindTagBySlug returns one tag.
func (ss *StoryService) FindTagBySlug(ctx context.Context, slug string) (*masthead.Tag, error) {
	t := &masthead.Tag{}
	err := ss.db.read.QueryRowContext(ctx, `SELECT id, slug, name FROM tags WHERE slug = $1`, slug).
		Scan(&t.ID, &t.Slug, &t.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgTagNotFound))
	} else if err != nil {
		return nil, fmt.Errorf("sqldb: find tag: %w", err)
	}
	return t, nil
}
