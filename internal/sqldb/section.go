package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"masthead"
)

// FindSections returns every section in navigation order.
func (ss *StoryService) FindSections(ctx context.Context) ([]*masthead.Section, error) {
	rows, err := ss.db.read.QueryContext(ctx, `SELECT id, slug, name, description, position
FROM sections ORDER BY position, name, id`)
	if err != nil {
		return nil, fmt.Errorf("sqldb: find sections: %w", err)
	}
	defer rows.Close()
	out := []*masthead.Section{}
	for rows.Next() {
		sec := &masthead.Section{}
		if err := rows.Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position); err != nil {
			return nil, fmt.Errorf("sqldb: find sections: %w", err)
		}
		out = append(out, sec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqldb: find sections: %w", err)
	}
	return out, nil
}

// FindSectionBySlug returns one section.
func (ss *StoryService) FindSectionBySlug(ctx context.Context, slug string) (*masthead.Section, error) {
	sec := &masthead.Section{}
	err := ss.db.read.QueryRowContext(ctx, `SELECT id, slug, name, description, position
FROM sections WHERE slug = $1`, slug).Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgSectionNotFound))
	} else if err != nil {
		return nil, fmt.Errorf("sqldb: find section: %w", err)
	}
	return sec, nil
}

// SaveSection creates or updates a section by slug; an empty slug is made
// from the name. On return sec carries its ID.
func (ss *StoryService) SaveSection(ctx context.Context, sec *masthead.Section) error {
	sec.Name = strings.TrimSpace(sec.Name)
	sec.Description = strings.TrimSpace(sec.Description)
	sec.Slug = strings.TrimSpace(sec.Slug)
	if sec.Slug == "" {
		sec.Slug = masthead.Slugify(sec.Name)
	}
	switch {
	case sec.Name == "":
		return masthead.FieldError("name", masthead.Msg(masthead.MsgNameInvalid))
	case !masthead.ValidSlug(sec.Slug):
		return masthead.FieldError("slug", masthead.Msg(masthead.MsgSlugInvalid, masthead.MaxSlugLen, sec.Slug))
	}
	err := ss.db.writeTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO sections (slug, name, description, position)
VALUES ($1, $2, $3, $4)
ON CONFLICT (slug) DO UPDATE SET
	name = excluded.name, description = excluded.description, position = excluded.position
RETURNING id`, sec.Slug, sec.Name, sec.Description, sec.Position).Scan(&sec.ID)
	})
	if err != nil {
		return fmt.Errorf("sqldb: save section: %w", err)
	}
	return nil
}
