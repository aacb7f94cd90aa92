package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"masthead"
)

// policyKey is the site_settings key of the commenting policy.
const policyKey = "comment_policy"

// policyTTL is how long a PolicyService reuses the policy it read.
const policyTTL = time.Second

// PolicyService keeps the site's commenting policy, as JSON in
// site_settings under "comment_policy"; see masthead.PolicyService.
//
// Each instance keeps the policy it read, with its word lists compiled,
// for at most a second (measured on the process's monotonic clock), so
// that the comment write path can read it cheaply; a save through the
// instance applies to it at once, and to other instances within a second.
type PolicyService struct {
	db       *DB
	defaults masthead.CommentPolicy

	mu     sync.Mutex
	cached *compiledPolicy
	// loadedAt is when cached was read (time.Now, for its monotonic
	// reading).
	loadedAt time.Time
}

var _ masthead.PolicyService = (*PolicyService)(nil)

// compiledPolicy is a policy with its word lists compiled.
type compiledPolicy struct {
	policy          masthead.CommentPolicy
	banned, suspect *masthead.WordList
}

// NewPolicyService returns a PolicyService over db. defaults is the
// policy in force until an administrator saves one (usually
// masthead.DefaultCommentPolicy of the comment settings).
func NewPolicyService(db *DB, defaults masthead.CommentPolicy) *PolicyService {
	defaults.Normalize()
	return &PolicyService{db: db, defaults: defaults}
}

// compile returns p with its word lists compiled.
func compile(p masthead.CommentPolicy) *compiledPolicy {
	return &compiledPolicy{policy: p, banned: masthead.CompileWords(p.BannedWords),
		suspect: masthead.CompileWords(p.SuspectWords)}
}

// current returns the policy in force, from the cache when it is fresh,
// otherwise read through q: a write path passes its transaction, so that
// it never waits for a second connection while holding one (on
// PostgreSQL, posters holding every pooled connection would each wait for
// another, for ever).
func (ps *PolicyService) current(ctx context.Context, q queryer) (*compiledPolicy, error) {
	ps.mu.Lock()
	if c := ps.cached; c != nil && time.Since(ps.loadedAt) < policyTTL {
		ps.mu.Unlock()
		return c, nil
	}
	ps.mu.Unlock()
	started := time.Now()
	p, err := ps.load(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqldb: comment policy: %w", err)
	}
	c := compile(p)
	ps.mu.Lock()
	if ps.cached == nil || !ps.loadedAt.After(started) {
		ps.cached, ps.loadedAt = c, started
	}
	ps.mu.Unlock()
	return c, nil
}

// load reads the stored policy, or the defaults when none is stored.
func (ps *PolicyService) load(ctx context.Context, q queryer) (masthead.CommentPolicy, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM site_settings WHERE key = $1`, policyKey).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return ps.copyOf(ps.defaults), nil
	} else if err != nil {
		return masthead.CommentPolicy{}, err
	}
	p := ps.copyOf(ps.defaults)
	p.BannedWords, p.SuspectWords = nil, nil
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return masthead.CommentPolicy{}, fmt.Errorf("decode: %w", err)
	}
	return p, nil
}

// copyOf returns p with word lists of its own.
func (ps *PolicyService) copyOf(p masthead.CommentPolicy) masthead.CommentPolicy {
	p.BannedWords = slices.Clone(p.BannedWords)
	p.SuspectWords = slices.Clone(p.SuspectWords)
	return p
}

// CommentPolicy returns the policy in force: the saved one, or the
// defaults until one is saved. It may be up to a second old.
//
// It is cheap enough to call for every page: within the second it reads
// nothing and copies only the struct. The copy's BannedWords and
// SuspectWords are shared with the service's cache and every other
// caller: they are read-only (clone them to change them).
func (ps *PolicyService) CommentPolicy(ctx context.Context) (*masthead.CommentPolicy, error) {
	c, err := ps.current(ctx, ps.db.read)
	if err != nil {
		return nil, err
	}
	p := c.policy
	return &p, nil
}

// SetCommentPolicy normalises, validates and saves the policy, with its
// audit entry (before and after), in one transaction. The actor needs
// PermSettings (EFORBIDDEN); an invalid policy is EINVALID, naming the
// settings form's field.
func (ps *PolicyService) SetCommentPolicy(ctx context.Context, actor masthead.Actor, p masthead.CommentPolicy) error {
	if err := actor.Require(masthead.PermSettings); err != nil {
		return err
	}
	p = ps.copyOf(p)
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("sqldb: set comment policy: %w", err)
	}
	db := ps.db
	now := db.clock()
	started := time.Now()
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := ps.load(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO site_settings (key, value, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			policyKey, string(raw), db.timeArg(now)); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return db.writeAudit(ctx, tx, actor, auditRecord{Action: masthead.AuditPolicySave, TargetType: "settings",
			Before: before, After: p}, now)
	})
	if err != nil {
		return wrapUnlessApp("set comment policy", err)
	}
	ps.mu.Lock()
	ps.cached, ps.loadedAt = compile(p), started
	ps.mu.Unlock()
	return nil
}

// moderate applies the commenting policy to a new comment by author on
// st, in tx. The author's published comments are counted, up to the
// number that lifts the new-commenter hold, only when that rule applies.
func (cs *CommentService) moderate(ctx context.Context, tx *sql.Tx, pol *compiledPolicy, author *masthead.Account,
	st *masthead.Story, body string, edit bool) (masthead.Verdict, error) {
	in := masthead.ModerationInput{Policy: pol.policy, Banned: pol.banned, Suspect: pol.suspect, Body: body,
		StoryPremoderated: st.Premoderated, AuthorStaff: author.Role.IsStaff(), Edit: edit}
	if k := pol.policy.NewCommenterApprovals; k > 0 && !edit && !in.AuthorStaff {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM comments
WHERE author_id = $1 AND status = 'published' LIMIT $2) AS published`, author.ID, k).Scan(&in.AuthorPublished); err != nil {
			return masthead.Verdict{}, fmt.Errorf("count published comments: %w", err)
		}
	}
	return masthead.ModerateComment(in), nil
}

// moderateEdit applies the commenting policy to the new body of r, a
// published comment its author is editing, in tx.
func (cs *CommentService) moderateEdit(ctx context.Context, tx *sql.Tx, pol *compiledPolicy, r *commentRow, body string) (masthead.Verdict, error) {
	st := masthead.Story{ID: r.StoryID}
	if err := tx.QueryRowContext(ctx, `SELECT premoderated FROM stories WHERE id = $1`, r.StoryID).Scan(&st.Premoderated); err != nil {
		return masthead.Verdict{}, fmt.Errorf("find story: %w", err)
	}
	author := masthead.Account{ID: r.AuthorID, Role: r.role}
	return cs.moderate(ctx, tx, pol, &author, &st, body, true)
}

// holdEdited sends r, a published comment whose edit the policy holds,
// back to review: it becomes pending with the reason, and leaves its
// story's and thread's counts, as if it had been held when posted. (An
// edit is only allowed while a comment has no replies, so no thread
// hangs from it.) Otherwise a comment approved, or published, with
// harmless text could be edited into one the policy would have held.
func holdEdited(ctx context.Context, tx *sql.Tx, r *commentRow, reason string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = 'pending', hold_reason = $1 WHERE id = $2`,
		reason, r.ID); err != nil {
		return fmt.Errorf("hold comment: %w", err)
	}
	if r.Depth > 0 {
		if err := adjustReplyCounts(ctx, tx, r.ParentID, r.replyToID, r.RootID, -1); err != nil {
			return err
		}
	}
	if err := adjustStoryCount(ctx, tx, r.StoryID, -1); err != nil {
		return err
	}
	r.Status = masthead.CommentPending
	return nil
}

// ownPending is the condition that comment c is a pending comment of the
// viewer bound to param: its author alone sees it, marked as awaiting
// review. (No account has ID 0, the anonymous viewer's.)
func ownPending(param string) string {
	return `(c.status = 'pending' AND c.author_id = ` + param + `)`
}

// maxOwnPendingReplies is the most of a viewer's pending replies on a
// story that a page of its comments looks at.
const maxOwnPendingReplies = 50

// ownPendingRepliesSQL returns, for a signed-in viewer, one more branch
// of the top-level query (its parameters: story $1, viewer $2): the
// viewer's pending replies on the story, newest first, so that a page
// shows them in their threads without a query of its own. Pending
// comments are few, and the status index finds them.
func ownPendingRepliesSQL(viewerID int64) string {
	if viewerID == 0 {
		return ""
	}
	return "\nUNION ALL\n" + `SELECT * FROM (SELECT ` + commentColumns + `, ` + respectedBy("$2") + commentFrom + `
WHERE c.status = 'pending' AND c.author_id = $2 AND c.story_id = $1 AND c.parent_id IS NOT NULL
ORDER BY c.created_at DESC, c.id DESC LIMIT ` + strconv.Itoa(maxOwnPendingReplies) + `) AS mine`
}

// splitOwnReplies separates the rows of the top-level query into the
// top-level comments and the viewer's pending replies.
func splitOwnReplies(rows []*commentRow) (top, own []*commentRow) {
	top = rows[:0:0]
	for _, r := range rows {
		if r.ParentID != 0 {
			own = append(own, r)
		} else {
			top = append(top, r)
		}
	}
	return top, own
}

// attachOwnPending puts the viewer's pending replies into their threads
// on the page, in order. A reply that falls after the replies a thread
// shows is left for the thread's later pages, so that the thread's
// cursor skips nothing.
func attachOwnPending(threads []*masthead.CommentThread, own []*commentRow) {
	if len(own) == 0 {
		return
	}
	byID := make(map[int64]*masthead.CommentThread, len(threads))
	for _, t := range threads {
		byID[t.Comment.ID] = t
	}
	for _, r := range own {
		t := byID[r.RootID]
		if t == nil {
			continue
		}
		c := r.comment()
		if n := len(t.Replies); t.MoreReplies > 0 && n > 0 && commentAfter(c, t.Replies[n-1]) {
			continue
		}
		t.Replies = append(t.Replies, c)
		slices.SortFunc(t.Replies, func(a, b *masthead.Comment) int {
			if commentAfter(a, b) {
				return 1
			}
			if commentAfter(b, a) {
				return -1
			}
			return 0
		})
	}
}

// commentAfter reports whether a comes after b in a thread's order.
func commentAfter(a, b *masthead.Comment) bool {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c > 0
	}
	return a.ID > b.ID
}
