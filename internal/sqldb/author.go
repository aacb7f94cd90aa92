package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"masthead"
)

// FindAuthorBySlug returns one author.
func (ss *StoryService) FindAuthorBySlug(ctx context.Context, slug string) (*masthead.Author, error) {
	a := &masthead.Author{}
	err := ss.db.read.QueryRowContext(ctx, `SELECT id, slug, name, bio FROM authors WHERE slug = $1`, slug).
		Scan(&a.ID, &a.Slug, &a.Name, &a.Bio)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgAuthorNotFound))
	} else if err != nil {
		return nil, fmt.Errorf("sqldb: find author: %w", err)
	}
	return a, nil
}
