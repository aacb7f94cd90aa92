package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead"
)

// GiftService implements masthead.GiftService. Only a hash of each link's
// token is stored.
type GiftService struct {
	db *DB
}

var _ masthead.GiftService = (*GiftService)(nil)

// NewGiftService returns a GiftService that keeps gift links in db.
func NewGiftService(db *DB) *GiftService {
	return &GiftService{db: db}
}

func errGiftLinkNotFound() error {
	return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgGiftLinkNotFound))
}

// countGiftLinks returns how many links the account created in [start, end).
func (db *DB) countGiftLinks(ctx context.Context, q queryer, accountID int64, start, end time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM gift_links WHERE giver_id = $1 AND created_at >= $2 AND created_at < $3`,
		accountID, db.timeArg(storedTime(start)), db.timeArg(storedTime(end))).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count gift links: %w", err)
	}
	return n, nil
}

// CreateGiftLink creates a link to the visible story with the slug for the
// account, valid for lifetime (masthead.DefaultGiftLinkLifetime if 0),
// if the account has created fewer than limit links in [start, end):
// EFORBIDDEN when it has (saying when more become available, end's date in
// end's location) or when limit is 0. A free story needs no link
// (EINVALID); an unknown or unpublished one is ENOTFOUND. The account's
// links are serialised, so concurrent requests never exceed the limit.
// The returned link holds the token, which is stored only as a hash.
func (gs *GiftService) CreateGiftLink(ctx context.Context, accountID int64, storySlug string, limit int, start, end time.Time, lifetime time.Duration) (*masthead.GiftLink, error) {
	if limit == 0 {
		return nil, masthead.Errorf(masthead.EFORBIDDEN, "%s", masthead.Msg(masthead.MsgGiftLinksNotIncluded))
	}
	if lifetime <= 0 {
		lifetime = masthead.DefaultGiftLinkLifetime
	}
	db := gs.db
	now := db.clock()
	var link *masthead.GiftLink
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		story := &masthead.Story{}
		err := tx.QueryRowContext(ctx, `SELECT s.id, s.slug, s.headline, s.access FROM stories s
WHERE s.slug = $1 AND `+visibleAt("$2"), storySlug, db.timeArg(now)).Scan(&story.ID, &story.Slug, &story.Headline, &story.Access)
		if errors.Is(err, sql.ErrNoRows) {
			return errStoryNotFound()
		} else if err != nil {
			return fmt.Errorf("find story: %w", err)
		}
		if story.Access == masthead.AccessFree {
			return masthead.Errorf(masthead.EINVALID, "%s", masthead.Msg(masthead.MsgGiftStoryNotGiftable))
		}
		if err := db.lockAccount(ctx, tx, giftLockClass, accountID); err != nil {
			return err
		}
		if limit != masthead.Unlimited {
			n, err := db.countGiftLinks(ctx, tx, accountID, start, end)
			if err != nil {
				return err
			}
			if n >= limit {
				return masthead.Errorf(masthead.EFORBIDDEN, "%s",
					masthead.Msg(masthead.MsgGiftLinksSpent, limit, end.Format("2 January 2006")))
			}
		}
		token, hash := newToken()
		link = &masthead.GiftLink{Token: token, Story: story, GiverID: accountID, CreatedAt: now, ExpiresAt: now.Add(lifetime)}
		if err := tx.QueryRowContext(ctx, `INSERT INTO gift_links (token_hash, story_id, giver_id, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5) RETURNING id`, hash, story.ID, accountID, db.timeArg(now), db.timeArg(link.ExpiresAt)).Scan(&link.ID); err != nil {
			return fmt.Errorf("insert gift link: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("create gift link", err)
	}
	return link, nil
}

// findGiftLink returns the link whose token hashes to hash, with its
// story; ENOTFOUND if there is none or it is to another story than
// storyID, EFORBIDDEN if it has expired at now.
func (db *DB) findGiftLink(ctx context.Context, q queryer, hash []byte, storyID int64, now time.Time) (*masthead.GiftLink, error) {
	l := &masthead.GiftLink{Story: &masthead.Story{}}
	err := q.QueryRowContext(ctx, `SELECT g.id, g.giver_id, g.created_at, g.expires_at, g.opens,
	s.id, s.slug, s.headline, s.access
FROM gift_links g JOIN stories s ON s.id = g.story_id
WHERE g.token_hash = $1 AND g.story_id = $2`, hash, storyID).
		Scan(&l.ID, &l.GiverID, timeCol{&l.CreatedAt}, timeCol{&l.ExpiresAt}, &l.Opens,
			&l.Story.ID, &l.Story.Slug, &l.Story.Headline, &l.Story.Access)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errGiftLinkNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find gift link: %w", err)
	}
	if !l.ExpiresAt.After(now) {
		return nil, masthead.Errorf(masthead.EFORBIDDEN, "%s", masthead.Msg(masthead.MsgGiftLinkExpired))
	}
	return l, nil
}

// OpenGiftLink returns the link of token to the story and counts the
// open. An unknown token or a link to another story is ENOTFOUND; an
// expired link is EFORBIDDEN and is not counted. The link is looked up
// with a read; only a link that works opens a write transaction, to
// count the open.
func (gs *GiftService) OpenGiftLink(ctx context.Context, token string, storyID int64) (*masthead.GiftLink, error) {
	if !tokenShapeOK(token) {
		return nil, errGiftLinkNotFound()
	}
	db := gs.db
	now := db.clock()
	hash := hashToken(token)
	var link *masthead.GiftLink
	err := db.readTx(ctx, func(tx *sql.Tx) (err error) {
		link, err = db.findGiftLink(ctx, tx, hash, storyID, now)
		return err
	})
	if err != nil {
		return nil, wrapUnlessApp("open gift link", err)
	}
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE gift_links SET opens = opens + 1
WHERE id = $1 AND expires_at > $2 RETURNING opens`, link.ID, db.timeArg(now)).Scan(&link.Opens)
		if errors.Is(err, sql.ErrNoRows) {
			// Expired (or gone) since the read.
			return masthead.Errorf(masthead.EFORBIDDEN, "%s", masthead.Msg(masthead.MsgGiftLinkExpired))
		} else if err != nil {
			return fmt.Errorf("count gift link open: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, wrapUnlessApp("open gift link", err)
	}
	return link, nil
}

// GiftLinks returns the account's links, newest first, with their
// stories' slugs and headlines and how often each was opened (tokens are
// not kept, so Token is empty).
func (gs *GiftService) GiftLinks(ctx context.Context, accountID int64) ([]*masthead.GiftLink, error) {
	var out []*masthead.GiftLink
	err := gs.db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT g.id, g.giver_id, g.created_at, g.expires_at, g.opens,
	s.id, s.slug, s.headline, s.access
FROM gift_links g JOIN stories s ON s.id = g.story_id
WHERE g.giver_id = $1 ORDER BY g.created_at DESC, g.id DESC`, accountID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l := &masthead.GiftLink{Story: &masthead.Story{}}
			if err := rows.Scan(&l.ID, &l.GiverID, timeCol{&l.CreatedAt}, timeCol{&l.ExpiresAt}, &l.Opens,
				&l.Story.ID, &l.Story.Slug, &l.Story.Headline, &l.Story.Access); err != nil {
				return err
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: gift links: %w", err)
	}
	return out, nil
}

// CountGiftLinks returns how many links the account created in
// [start, end).
func (gs *GiftService) CountGiftLinks(ctx context.Context, accountID int64, start, end time.Time) (int, error) {
	var n int
	err := gs.db.readTx(ctx, func(tx *sql.Tx) (err error) {
		n, err = gs.db.countGiftLinks(ctx, tx, accountID, start, end)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqldb: count gift links: %w", err)
	}
	return n, nil
}
