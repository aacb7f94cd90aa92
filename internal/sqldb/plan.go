package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"masthead"
)

// PlanService implements masthead.PlanService.
type PlanService struct {
	db *DB
}

var _ masthead.PlanService = (*PlanService)(nil)

// NewPlanService returns a PlanService that stores plans in db.
func NewPlanService(db *DB) *PlanService {
	return &PlanService{db: db}
}

// planColumns are the columns scanPlan reads, from plans p.
const planColumns = `p.id, p.slug, p.name, p.description, p.trial_days, p.comment, p.read_premium,
	p.metered_per_month, p.gift_links_per_month, p.free, p.visible, p.archived, p.position,
	p.created_at, p.updated_at`

func scanPlan(sc interface{ Scan(...any) error }) (*masthead.Plan, error) {
	p := &masthead.Plan{}
	e := &p.Entitlements
	err := sc.Scan(&p.ID, &p.Slug, &p.Name, &p.Description, &p.TrialDays, &e.Comment, &e.ReadPremium,
		&e.MeteredPerMonth, &e.GiftLinksPerMonth, &p.Free, &p.Visible, &p.Archived, &p.Position,
		timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func errPlanNotFound() error {
	return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgPlanNotFound))
}

// findPlans returns the plans matching where (a condition on plans p),
// in position order, with their prices.
func findPlans(ctx context.Context, q queryer, where string, args ...any) ([]*masthead.Plan, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+planColumns+` FROM plans p WHERE `+where+` ORDER BY p.position, p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find plans: %w", err)
	}
	var plans []*masthead.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("find plans: %w", err)
		}
		plans = append(plans, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find plans: %w", err)
	}
	if err := attachPrices(ctx, q, plans); err != nil {
		return nil, err
	}
	return plans, nil
}

// attachPrices loads the prices of plans, monthly before annual.
func attachPrices(ctx context.Context, q queryer, plans []*masthead.Plan) error {
	if len(plans) == 0 {
		return nil
	}
	byID := make(map[int64]*masthead.Plan, len(plans))
	args := make([]any, len(plans))
	for i, p := range plans {
		byID[p.ID] = p
		p.Prices = nil
		args[i] = p.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT plan_id, billing_interval, amount, currency, COALESCE(stripe_price_id, '')
FROM plan_prices WHERE plan_id IN (`+placeholders(1, len(args))+`)
ORDER BY plan_id, CASE billing_interval WHEN 'month' THEN 0 ELSE 1 END`, args...)
	if err != nil {
		return fmt.Errorf("find plan prices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var pr masthead.Price
		if err := rows.Scan(&id, &pr.Interval, &pr.Amount, &pr.Currency, &pr.StripePriceID); err != nil {
			return fmt.Errorf("find plan prices: %w", err)
		}
		if p := byID[id]; p != nil {
			p.Prices = append(p.Prices, pr)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find plan prices: %w", err)
	}
	return nil
}

// findPlan returns the one plan matching where; ENOTFOUND if none.
func findPlan(ctx context.Context, q queryer, where string, args ...any) (*masthead.Plan, error) {
	plans, err := findPlans(ctx, q, where, args...)
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, errPlanNotFound()
	}
	return plans[0], nil
}

// freePlan returns the Free plan.
func freePlan(ctx context.Context, q queryer) (*masthead.Plan, error) {
	p, err := findPlan(ctx, q, `p.free`)
	if isNotFound(err) {
		// The 0003 migration inserts it and nothing deletes it.
		return nil, errors.New("the Free plan is missing")
	}
	return p, err
}

// freePlanCache keeps the Free plan for freePlanTTL, for the write paths
// that read it for every request (posting a comment): a change an
// administrator makes to the Free plan reaches them within that time.
type freePlanCache struct {
	mu       sync.Mutex
	plan     *masthead.Plan
	loadedAt time.Time
}

// freePlanTTL is how long a freePlanCache reuses the plan it read.
const freePlanTTL = time.Second

// get returns the Free plan, read through q (the caller's transaction, so
// that it never waits for a second connection) when the kept one is older
// than freePlanTTL. The plan returned is shared: callers must not change
// it.
func (c *freePlanCache) get(ctx context.Context, q queryer) (*masthead.Plan, error) {
	c.mu.Lock()
	if c.plan != nil && time.Since(c.loadedAt) < freePlanTTL {
		p := c.plan
		c.mu.Unlock()
		return p, nil
	}
	c.mu.Unlock()
	started := time.Now()
	p, err := freePlan(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.plan == nil || !c.loadedAt.After(started) {
		c.plan, c.loadedAt = p, started
	}
	c.mu.Unlock()
	return p, nil
}

// planByStripePrice returns the plan selling the Stripe price, and the
// price's interval; a nil plan when no plan sells it.
func planByStripePrice(ctx context.Context, q queryer, priceID string) (*masthead.Plan, masthead.Interval, error) {
	if priceID == "" {
		return nil, "", nil
	}
	var planID int64
	var interval masthead.Interval
	err := q.QueryRowContext(ctx, `SELECT plan_id, billing_interval FROM plan_prices WHERE stripe_price_id = $1`, priceID).
		Scan(&planID, &interval)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	} else if err != nil {
		return nil, "", fmt.Errorf("find plan by Stripe price: %w", err)
	}
	p, err := findPlan(ctx, q, `p.id = $1`, planID)
	if err != nil {
		return nil, "", err
	}
	return p, interval, nil
}

// FindPlans returns the plans in position order with their prices;
// archived ones only if includeArchived.
func (ps *PlanService) FindPlans(ctx context.Context, includeArchived bool) ([]*masthead.Plan, error) {
	where := `NOT p.archived`
	if includeArchived {
		where = `1 = 1`
	}
	var plans []*masthead.Plan
	err := ps.db.readTx(ctx, func(tx *sql.Tx) (err error) {
		plans, err = findPlans(ctx, tx, where)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: find plans: %w", err)
	}
	return plans, nil
}

// FindPlanBySlug returns the plan with the slug, archived or not;
// ENOTFOUND if there is none.
func (ps *PlanService) FindPlanBySlug(ctx context.Context, slug string) (*masthead.Plan, error) {
	var p *masthead.Plan
	err := ps.db.readTx(ctx, func(tx *sql.Tx) (err error) {
		p, err = findPlan(ctx, tx, `p.slug = $1`, slug)
		return err
	})
	if err != nil {
		return nil, wrapUnlessApp("find plan", err)
	}
	return p, nil
}

// FreePlan returns the Free plan.
func (ps *PlanService) FreePlan(ctx context.Context) (*masthead.Plan, error) {
	var p *masthead.Plan
	err := ps.db.readTx(ctx, func(tx *sql.Tx) (err error) {
		p, err = freePlan(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: free plan: %w", err)
	}
	return p, nil
}

// SavePlan normalises and validates p, then creates it or updates the
// plan with its slug, replacing its prices; p's ID and times are set. The
// stored plan decides whether p is the Free plan (p.Free is ignored: the
// Free plan stays free, no other plan becomes free), the Free plan cannot
// be archived, and an archived plan is never visible. A staff actor needs
// masthead.PermPlans (EFORBIDDEN) and the save writes an AuditPlanSave
// entry in its transaction; the zero Actor is the system, which needs no
// permission and writes none.
func (ps *PlanService) SavePlan(ctx context.Context, p *masthead.Plan, actor masthead.Actor) error {
	if err := requirePlans(actor); err != nil {
		return err
	}
	p.Normalize()
	now := ps.db.clock()
	err := ps.db.writeTx(ctx, func(tx *sql.Tx) error {
		existing, err := findPlan(ctx, tx, `p.slug = $1`, p.Slug)
		if err != nil && !isNotFound(err) {
			return err
		}
		var before any
		if existing != nil {
			before = planAuditState(existing)
		}
		p.Free = existing != nil && existing.Free
		if err := p.Validate(); err != nil {
			return err
		}
		if p.Free && p.Archived {
			return masthead.FieldError("archived", masthead.Msg(masthead.MsgPlanFreeArchive))
		}
		if p.Archived {
			p.Visible = false
		}
		e := p.Entitlements
		if err := tx.QueryRowContext(ctx, `INSERT INTO plans (slug, name, description, trial_days, comment, read_premium,
	metered_per_month, gift_links_per_month, free, visible, archived, position, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
ON CONFLICT (slug) DO UPDATE SET
	name = excluded.name, description = excluded.description, trial_days = excluded.trial_days,
	comment = excluded.comment, read_premium = excluded.read_premium,
	metered_per_month = excluded.metered_per_month, gift_links_per_month = excluded.gift_links_per_month,
	visible = excluded.visible, archived = excluded.archived, position = excluded.position,
	updated_at = excluded.updated_at
RETURNING id, created_at`, p.Slug, p.Name, p.Description, p.TrialDays, e.Comment, e.ReadPremium,
			e.MeteredPerMonth, e.GiftLinksPerMonth, p.Free, p.Visible, p.Archived, p.Position,
			ps.db.timeArg(now)).Scan(&p.ID, timeCol{&p.CreatedAt}); err != nil {
			return fmt.Errorf("upsert plan: %w", err)
		}
		p.UpdatedAt = now
		if _, err := tx.ExecContext(ctx, `DELETE FROM plan_prices WHERE plan_id = $1`, p.ID); err != nil {
			return fmt.Errorf("delete plan prices: %w", err)
		}
		for _, pr := range p.Prices {
			var stripeID any
			if pr.StripePriceID != "" {
				stripeID = pr.StripePriceID
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_prices (plan_id, billing_interval, amount, currency, stripe_price_id)
VALUES ($1, $2, $3, $4, $5)`, p.ID, string(pr.Interval), pr.Amount, pr.Currency, stripeID); err != nil {
				if uniqueViolation(err, "stripe_price_id") {
					return masthead.FieldError("prices", masthead.Msg(masthead.MsgPlanStripePriceTaken, pr.StripePriceID))
				}
				return fmt.Errorf("insert plan price: %w", err)
			}
		}
		if actor.ID == 0 {
			return nil
		}
		return ps.db.writeAudit(ctx, tx, actor, auditRecord{Action: masthead.AuditPlanSave, TargetType: "plan",
			TargetID: p.ID, Before: before, After: planAuditState(p)}, now)
	})
	if err != nil {
		return wrapUnlessApp("save plan", err)
	}
	return nil
}

// ArchivePlan stops offering the plan with the slug: it is archived and
// hidden, and its subscribers keep it. The Free plan cannot be archived
// (EINVALID). The actor is as for SavePlan, with an AuditPlanArchive
// entry.
func (ps *PlanService) ArchivePlan(ctx context.Context, slug string, actor masthead.Actor) error {
	if err := requirePlans(actor); err != nil {
		return err
	}
	now := ps.db.clock()
	err := ps.db.writeTx(ctx, func(tx *sql.Tx) error {
		p, err := findPlan(ctx, tx, `p.slug = $1`, slug)
		if err != nil {
			return err
		}
		if p.Free {
			return masthead.Errorf(masthead.EINVALID, "%s", masthead.Msg(masthead.MsgPlanFreeArchive))
		}
		before := planAuditState(p)
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET archived = $1, visible = $2, updated_at = $3 WHERE id = $4`,
			true, false, ps.db.timeArg(now), p.ID); err != nil {
			return fmt.Errorf("archive plan: %w", err)
		}
		if actor.ID == 0 {
			return nil
		}
		p.Archived, p.Visible = true, false
		return ps.db.writeAudit(ctx, tx, actor, auditRecord{Action: masthead.AuditPlanArchive, TargetType: "plan",
			TargetID: p.ID, Before: before, After: planAuditState(p)}, now)
	})
	if err != nil {
		return wrapUnlessApp("archive plan", err)
	}
	return nil
}

// requirePlans returns EFORBIDDEN unless actor may manage plans and
// complimentary subscriptions. The zero Actor (ID 0) is the system: the
// demo seeder, the command line and Stripe webhooks, which need no
// permission.
func requirePlans(actor masthead.Actor) error {
	if actor.ID == 0 {
		return nil
	}
	return actor.Require(masthead.PermPlans)
}

// planAudit is a plan's state as the audit log keeps it.
type planAudit struct {
	Name     string           `json:"name"`
	Visible  bool             `json:"visible"`
	Archived bool             `json:"archived"`
	Prices   []masthead.Price `json:"prices"`
}

// planAuditState returns p's state for its audit entries.
func planAuditState(p *masthead.Plan) planAudit {
	prices := p.Prices
	if prices == nil {
		prices = []masthead.Price{}
	}
	return planAudit{Name: p.Name, Visible: p.Visible, Archived: p.Archived, Prices: prices}
}

// plansByID returns every plan, archived or not, by ID, and the Free plan.
func plansByID(ctx context.Context, q queryer) (map[int64]*masthead.Plan, *masthead.Plan, error) {
	plans, err := findPlans(ctx, q, `1 = 1`)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[int64]*masthead.Plan, len(plans))
	var free *masthead.Plan
	for _, p := range plans {
		m[p.ID] = p
		if p.Free {
			free = p
		}
	}
	if free == nil {
		return nil, nil, errors.New("the Free plan is missing")
	}
	return m, free, nil
}

// dateOnly formats t as a date for subscription-event details.
func dateOnly(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}
