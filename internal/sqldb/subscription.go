package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"masthead"
)

// SubscriptionService implements masthead.SubscriptionService.
type SubscriptionService struct {
	db    *DB
	grace time.Duration
}

var _ masthead.SubscriptionService = (*SubscriptionService)(nil)

// NewSubscriptionService returns a SubscriptionService over db. A
// past-due subscription keeps its entitlements for grace from the first
// failed payment; 0 means masthead.DefaultGracePeriod.
func NewSubscriptionService(db *DB, grace time.Duration) *SubscriptionService {
	if grace <= 0 {
		grace = masthead.DefaultGracePeriod
	}
	return &SubscriptionService{db: db, grace: grace}
}

// Subscription-event kinds written by this package.
const (
	subEventCreated     = "created"
	subEventStatus      = "status"
	subEventPlan        = "plan"
	subEventPeriod      = "period"
	subEventCompGranted = "complimentary_granted"
	subEventCompRevoked = "complimentary_revoked"
)

// Lock classes of the PostgreSQL advisory locks that serialise the writes
// of one account's subscription, meter and gift links.
const (
	subscriptionLockClass int32 = 0x73756273 // "subs"
	meterLockClass        int32 = 0x6d657472 // "metr"
	giftLockClass         int32 = 0x67696674 // "gift"
)

// lockAccount serialises, on PostgreSQL, the write transactions of one
// account in class until tx ends. SQLite's writes are serial already.
// Account IDs beyond 32 bits share locks, which only costs some waiting.
func (db *DB) lockAccount(ctx context.Context, tx *sql.Tx, class int32, accountID int64) error {
	if db.dialect != DialectPostgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, class, int32(accountID)); err != nil {
		return fmt.Errorf("lock account: %w", err)
	}
	return nil
}

// liveAccount returns an ENOTFOUND error unless the account exists and is
// not deleted.
func liveAccount(ctx context.Context, q queryer, accountID int64) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE id = $1 AND deleted_at IS NULL`, accountID).Scan(&n); err != nil {
		return fmt.Errorf("find account: %w", err)
	}
	if n == 0 {
		return errAccountNotFound()
	}
	return nil
}

// subscriptionColumns are the columns subscriptionRow.dest scans, from
// subscriptions s (which may be NULL, from a LEFT JOIN).
const subscriptionColumns = `COALESCE(s.id, 0), COALESCE(s.account_id, 0), COALESCE(s.plan_id, 0),
	COALESCE(s.status, ''), COALESCE(s.billing_interval, ''), s.current_period_end, s.grace_end,
	COALESCE(s.complimentary, FALSE), COALESCE(s.stripe_customer_id, ''),
	COALESCE(s.stripe_subscription_id, ''), COALESCE(s.stripe_version, ''), s.created_at, s.updated_at`

// subscriptionRow is a subscription as stored: the plan by ID.
type subscriptionRow struct {
	masthead.Subscription
	planID int64
}

func (r *subscriptionRow) dest() []any {
	s := &r.Subscription
	return []any{&s.ID, &s.AccountID, &r.planID, &s.Status, &s.Interval,
		timeCol{&s.CurrentPeriodEnd}, timeCol{&s.GraceEnd}, &s.Complimentary, &s.StripeCustomerID,
		&s.StripeSubscriptionID, &s.StripeVersion, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}}
}

func errSubscriptionNotFound() error {
	return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgSubscriptionNotFound))
}

// findSubscription returns the account's subscription with its plan,
// locked (on PostgreSQL) if lock; ENOTFOUND if it has none.
func (db *DB) findSubscription(ctx context.Context, q queryer, accountID int64, lock bool) (*masthead.Subscription, error) {
	query := `SELECT ` + subscriptionColumns + ` FROM subscriptions s WHERE s.account_id = $1`
	if lock {
		query += db.forUpdate()
	}
	var r subscriptionRow
	err := q.QueryRowContext(ctx, query, accountID).Scan(r.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSubscriptionNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find subscription: %w", err)
	}
	if r.planID != 0 {
		if r.Plan, err = findPlan(ctx, q, `p.id = $1`, r.planID); err != nil {
			return nil, err
		}
	}
	s := r.Subscription
	return &s, nil
}

// saveSubscription stores s as its account's subscription, replacing the
// row's state, and sets s.ID.
func (db *DB) saveSubscription(ctx context.Context, tx *sql.Tx, s *masthead.Subscription) error {
	nullString := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	var planID any
	if s.Plan != nil {
		planID = s.Plan.ID
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO subscriptions (account_id, plan_id, status, billing_interval,
	current_period_end, grace_end, complimentary, stripe_customer_id, stripe_subscription_id, stripe_version,
	created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (account_id) DO UPDATE SET
	plan_id = excluded.plan_id, status = excluded.status, billing_interval = excluded.billing_interval,
	current_period_end = excluded.current_period_end, grace_end = excluded.grace_end,
	complimentary = excluded.complimentary, stripe_customer_id = excluded.stripe_customer_id,
	stripe_subscription_id = excluded.stripe_subscription_id, stripe_version = excluded.stripe_version,
	created_at = excluded.created_at, updated_at = excluded.updated_at
RETURNING id`, s.AccountID, planID, string(s.Status), string(s.Interval),
		db.timeArg(s.CurrentPeriodEnd), db.timeArg(s.GraceEnd), s.Complimentary,
		nullString(s.StripeCustomerID), nullString(s.StripeSubscriptionID), s.StripeVersion,
		db.timeArg(s.CreatedAt), db.timeArg(s.UpdatedAt)).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("save subscription: %w", err)
	}
	return nil
}

// addSubscriptionEvent records e.
func (db *DB) addSubscriptionEvent(ctx context.Context, tx *sql.Tx, e *masthead.SubscriptionEvent) error {
	var actor, stripeID, subID any
	if e.ActorID != 0 {
		actor = e.ActorID
	}
	if e.StripeEventID != "" {
		stripeID = e.StripeEventID
	}
	if e.SubscriptionID != 0 {
		subID = e.SubscriptionID
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO subscription_events
	(account_id, subscription_id, kind, detail, actor_id, stripe_event_id, at)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		e.AccountID, subID, e.Kind, e.Detail, actor, stripeID, db.timeArg(e.At)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("add subscription event: %w", err)
	}
	return nil
}

// CurrentSubscription returns the account's subscription with its plan,
// whatever its status; ENOTFOUND when it has none. A Stripe subscription
// whose plan is not known yet (its events so far named no price that a
// plan sells) counts as none: its Plan would be nil.
func (ss *SubscriptionService) CurrentSubscription(ctx context.Context, accountID int64) (*masthead.Subscription, error) {
	var s *masthead.Subscription
	err := ss.db.readTx(ctx, func(tx *sql.Tx) (err error) {
		s, err = ss.db.findSubscription(ctx, tx, accountID, false)
		if err == nil && s.Plan == nil {
			return errSubscriptionNotFound()
		}
		return err
	})
	if err != nil {
		return nil, wrapUnlessApp("current subscription", err)
	}
	return s, nil
}

// EffectivePlan returns the plan whose entitlements apply to the account
// now, and the subscription that grants it; the Free plan and a nil
// subscription when the account has none or it no longer grants its plan.
func (ss *SubscriptionService) EffectivePlan(ctx context.Context, accountID int64) (*masthead.Plan, *masthead.Subscription, error) {
	now := ss.db.clock()
	var plan *masthead.Plan
	var sub *masthead.Subscription
	err := ss.db.readTx(ctx, func(tx *sql.Tx) error {
		free, err := freePlan(ctx, tx)
		if err != nil {
			return err
		}
		s, err := ss.db.findSubscription(ctx, tx, accountID, false)
		if err != nil && !isNotFound(err) {
			return err
		}
		plan = masthead.EffectivePlan(s, free, now)
		if s.Grants(now) {
			sub = s
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("sqldb: effective plan: %w", err)
	}
	return plan, sub, nil
}

// SubscriptionEvents returns the account's subscription history, newest
// first.
func (ss *SubscriptionService) SubscriptionEvents(ctx context.Context, accountID int64) ([]*masthead.SubscriptionEvent, error) {
	var out []*masthead.SubscriptionEvent
	err := ss.db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, account_id, COALESCE(subscription_id, 0), kind, detail,
	COALESCE(actor_id, 0), COALESCE(stripe_event_id, ''), at
FROM subscription_events WHERE account_id = $1 ORDER BY at DESC, id DESC`, accountID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := &masthead.SubscriptionEvent{}
			if err := rows.Scan(&e.ID, &e.AccountID, &e.SubscriptionID, &e.Kind, &e.Detail,
				&e.ActorID, &e.StripeEventID, timeCol{&e.At}); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: subscription events: %w", err)
	}
	return out, nil
}

// GrantComplimentary puts the account on the plan with the slug until
// until, without payment, replacing a complimentary subscription or one
// that no longer grants its plan; a paid subscription that still grants
// its plan is ECONFLICT. until must be in the future (EINVALID). The
// replaced subscription's Stripe IDs and version are kept, so that late
// events of its Stripe subscription cannot overwrite the grant. A staff
// actor needs masthead.PermPlans (EFORBIDDEN) and the grant writes an
// AuditCompGrant entry in its transaction; the zero Actor is the system,
// which needs no permission and writes none. The subscription event
// records the actor's ID.
func (ss *SubscriptionService) GrantComplimentary(ctx context.Context, accountID int64, planSlug string, until time.Time, actor masthead.Actor) (*masthead.Subscription, error) {
	if err := requirePlans(actor); err != nil {
		return nil, err
	}
	now := ss.db.clock()
	until = storedTime(until)
	if !until.After(now) {
		return nil, masthead.FieldError("until", masthead.Msg(masthead.MsgCompUntilPast))
	}
	var sub *masthead.Subscription
	err := ss.db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := liveAccount(ctx, tx, accountID); err != nil {
			return err
		}
		plan, err := findPlan(ctx, tx, `p.slug = $1`, planSlug)
		if err != nil {
			return err
		}
		if err := ss.db.lockAccount(ctx, tx, subscriptionLockClass, accountID); err != nil {
			return err
		}
		cur, err := ss.db.findSubscription(ctx, tx, accountID, true)
		if err != nil && !isNotFound(err) {
			return err
		}
		if cur != nil && !cur.Complimentary && cur.Grants(now) {
			return masthead.Errorf(masthead.ECONFLICT, "%s", masthead.Msg(masthead.MsgSubscriptionPaid))
		}
		next := &masthead.Subscription{
			AccountID:        accountID,
			Plan:             plan,
			Status:           masthead.SubActive,
			CurrentPeriodEnd: until,
			Complimentary:    true,
			CreatedAt:        now,
			UpdatedAt:        now,
		}
		if cur != nil {
			// The replaced subscription's Stripe IDs and version stay, so
			// that its late events cannot overwrite the grant.
			next.StripeCustomerID = cur.StripeCustomerID
			next.StripeSubscriptionID = cur.StripeSubscriptionID
			next.StripeVersion = cur.StripeVersion
		}
		if err := ss.db.saveSubscription(ctx, tx, next); err != nil {
			return err
		}
		sub = next
		if err := ss.db.addSubscriptionEvent(ctx, tx, &masthead.SubscriptionEvent{
			AccountID: accountID, SubscriptionID: next.ID, Kind: subEventCompGranted,
			Detail: plan.Slug + " until " + dateOnly(until), ActorID: actor.ID, At: now,
		}); err != nil {
			return err
		}
		if actor.ID == 0 {
			return nil
		}
		var before any
		if cur != nil {
			before = compAuditState(cur)
		}
		return ss.db.writeAudit(ctx, tx, actor, auditRecord{Action: masthead.AuditCompGrant, TargetType: "account",
			TargetID: accountID, Before: before, After: compAuditState(next)}, now)
	})
	if err != nil {
		return nil, wrapUnlessApp("grant complimentary", err)
	}
	return sub, nil
}

// RevokeComplimentary ends the account's complimentary subscription now:
// it expires. EINVALID if the subscription is not complimentary. The
// actor is as for GrantComplimentary, with an AuditCompRevoke entry.
func (ss *SubscriptionService) RevokeComplimentary(ctx context.Context, accountID int64, actor masthead.Actor) error {
	if err := requirePlans(actor); err != nil {
		return err
	}
	now := ss.db.clock()
	err := ss.db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := ss.db.lockAccount(ctx, tx, subscriptionLockClass, accountID); err != nil {
			return err
		}
		cur, err := ss.db.findSubscription(ctx, tx, accountID, true)
		if err != nil {
			return err
		}
		if !cur.Complimentary {
			return masthead.Errorf(masthead.EINVALID, "%s", masthead.Msg(masthead.MsgNotComplimentary))
		}
		prev := cur.Status
		before := compAuditState(cur)
		cur.Status, cur.CurrentPeriodEnd, cur.GraceEnd, cur.UpdatedAt = masthead.SubExpired, now, time.Time{}, now
		if err := ss.db.saveSubscription(ctx, tx, cur); err != nil {
			return err
		}
		if err := ss.db.addSubscriptionEvent(ctx, tx, &masthead.SubscriptionEvent{
			AccountID: accountID, SubscriptionID: cur.ID, Kind: subEventCompRevoked,
			Detail: planSlug(cur.Plan) + ": " + string(prev) + " → " + string(masthead.SubExpired), ActorID: actor.ID, At: now,
		}); err != nil {
			return err
		}
		if actor.ID == 0 {
			return nil
		}
		return ss.db.writeAudit(ctx, tx, actor, auditRecord{Action: masthead.AuditCompRevoke, TargetType: "account",
			TargetID: accountID, Before: before, After: compAuditState(cur)}, now)
	})
	if err != nil {
		return wrapUnlessApp("revoke complimentary", err)
	}
	return nil
}

// StripeCustomer returns the Stripe customer linked to the account, or "".
func (ss *SubscriptionService) StripeCustomer(ctx context.Context, accountID int64) (string, error) {
	var id string
	err := ss.db.readTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT customer_id FROM stripe_customers WHERE account_id = $1`, accountID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("sqldb: stripe customer: %w", err)
	}
	return id, nil
}

// linkCustomer links the Stripe customer to the account, unless it is
// linked to another account already (the first link wins). An account
// linked to another customer is relinked to this one.
func linkCustomer(ctx context.Context, tx *sql.Tx, accountID int64, customerID string) error {
	var owner int64
	err := tx.QueryRowContext(ctx, `SELECT account_id FROM stripe_customers WHERE customer_id = $1`, customerID).Scan(&owner)
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("find Stripe customer: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO stripe_customers (account_id, customer_id) VALUES ($1, $2)
ON CONFLICT (account_id) DO UPDATE SET customer_id = excluded.customer_id`, accountID, customerID)
	if err != nil {
		return fmt.Errorf("link Stripe customer: %w", err)
	}
	return nil
}

// stripeAccount returns the account a Stripe event is about: the one it
// names if that exists, else the one holding its Stripe subscription, else
// the one linked to its customer; 0 if none.
func stripeAccount(ctx context.Context, tx *sql.Tx, ev masthead.StripeEvent) (int64, error) {
	if ev.AccountID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE id = $1`, ev.AccountID).Scan(&n); err != nil {
			return 0, err
		}
		if n > 0 {
			return ev.AccountID, nil
		}
		return 0, nil
	}
	lookups := []struct{ query, arg string }{
		{`SELECT account_id FROM subscriptions WHERE stripe_subscription_id = $1`, ev.SubscriptionID},
		{`SELECT account_id FROM stripe_customers WHERE customer_id = $1`, ev.CustomerID},
		{`SELECT account_id FROM subscriptions WHERE stripe_customer_id = $1 ORDER BY id LIMIT 1`, ev.CustomerID},
	}
	for _, l := range lookups {
		if l.arg == "" {
			continue
		}
		var id int64
		err := tx.QueryRowContext(ctx, l.query, l.arg).Scan(&id)
		if err == nil {
			return id, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	return 0, nil
}

// stripeEnds reports whether a Stripe subscription status means the
// subscription is over.
func stripeEnds(status string) bool {
	switch status {
	case "trialing", "active", "past_due", "unpaid":
		return false
	}
	return true
}

// stripeRegrants reports whether the Stripe event, whose price is the
// plan's (nil: no price, or one no plan sells), puts its subscription
// back in force at now, so that it may replace a complimentary grant:
// trialing or active with a period ending after now (so not cancelled at
// a period end already past), naming the plan it grants. A past-due, unpaid, cancelled or incomplete
// subscription does not; nor does an event without a plan (an invoice
// event), which would otherwise take over the granted plan.
func stripeRegrants(ev masthead.StripeEvent, plan *masthead.Plan, now time.Time) bool {
	if plan == nil || (ev.Status != "trialing" && ev.Status != "active") {
		return false
	}
	return ev.CurrentPeriodEnd.After(now)
}

// ApplyStripeEvent applies a verified Stripe event in one transaction. An
// event ID seen before changes nothing and returns false. Otherwise the
// event is recorded as seen (applied true) and: its customer is linked to
// its account; the account's subscription becomes masthead.NextSubscription
// of it (so an event older than the newest applied one changes nothing),
// and each change is recorded as a subscription event. An event whose
// account cannot be found (by the account ID it carries, its Stripe
// subscription or its customer) changes nothing else; so does an event
// ending another Stripe subscription than the account's current one. A
// paid subscription replaces a complimentary one; but the Stripe
// subscription that a grant replaced (whose IDs the grant keeps), or an
// event naming no Stripe subscription, replaces it only with an event
// that puts it back in force with a plan (see stripeRegrants): its
// dunning, unpaid and ending events are recorded as seen and change
// nothing. A subscription whose
// events so far name no price that a plan sells (an invoice event came
// first, or the price is not configured: logged) is stored without a plan
// and grants nothing until an event names one.
func (ss *SubscriptionService) ApplyStripeEvent(ctx context.Context, ev masthead.StripeEvent) (bool, error) {
	if ev.ID == "" {
		return false, errors.New("sqldb: apply Stripe event: event has no ID")
	}
	db := ss.db
	now := db.clock()
	applied := false
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		applied = false
		res, err := tx.ExecContext(ctx, `INSERT INTO stripe_events (id, type, created, received_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO NOTHING`, ev.ID, ev.Type, db.timeArg(storedTime(ev.Created)), db.timeArg(now))
		if err != nil {
			return fmt.Errorf("record event: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return nil
		}
		applied = true
		accountID, err := stripeAccount(ctx, tx, ev)
		if err != nil || accountID == 0 {
			return err
		}
		if ev.CustomerID != "" {
			if err := linkCustomer(ctx, tx, accountID, ev.CustomerID); err != nil {
				return err
			}
		}
		if !ev.HasSubscriptionState {
			return nil
		}
		if err := db.lockAccount(ctx, tx, subscriptionLockClass, accountID); err != nil {
			return err
		}
		cur, err := db.findSubscription(ctx, tx, accountID, true)
		if isNotFound(err) {
			cur = nil
		} else if err != nil {
			return err
		}
		replacing := cur != nil && cur.StripeSubscriptionID != "" && ev.SubscriptionID != "" &&
			cur.StripeSubscriptionID != ev.SubscriptionID
		if replacing && stripeEnds(ev.Status) {
			return nil // news of a subscription the account has left behind
		}
		plan, interval, err := planByStripePrice(ctx, tx, ev.PriceID)
		if err != nil {
			return err
		}
		leftBehind := cur != nil && cur.Complimentary &&
			(ev.SubscriptionID == "" || ev.SubscriptionID == cur.StripeSubscriptionID)
		if leftBehind && !stripeRegrants(ev, plan, now) {
			// News of the Stripe subscription that the grant replaced
			// (the grant keeps its IDs): dunning, unpaid or ended, it
			// must not take the grant away. Seen, and nothing else.
			return nil
		}
		if plan != nil && cur != nil && cur.Plan != nil && plan.ID == cur.Plan.ID {
			plan = cur.Plan // the same plan: NextSubscription compares pointers
		}
		if plan == nil && ev.PriceID != "" {
			db.logger.Warn("sqldb: Stripe event for a price that no plan sells",
				"event", ev.ID, "type", ev.Type, "price", ev.PriceID, "account", accountID)
		}
		ev.AccountID = accountID
		newer := cur == nil || cur.StripeVersion < masthead.StripeVersion(ev)
		next, changed := masthead.NextSubscription(cur, ev, plan, ss.grace)
		if !changed {
			return nil
		}
		if interval != "" && (newer || next.Interval == "") {
			next.Interval = interval
		}
		fresh := cur == nil || newer && (replacing || cur.Complimentary)
		if fresh {
			next.CreatedAt = now
		}
		next.UpdatedAt = now
		if err := db.saveSubscription(ctx, tx, next); err != nil {
			return err
		}
		for _, e := range subscriptionChanges(cur, next, fresh) {
			e.AccountID, e.SubscriptionID, e.StripeEventID, e.At = accountID, next.ID, ev.ID, now
			if err := db.addSubscriptionEvent(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("sqldb: apply Stripe event %s: %w", ev.ID, err)
	}
	return applied, nil
}

// subscriptionChanges describes how next differs from cur as subscription
// events (without account, subscription, Stripe event or time).
func subscriptionChanges(cur, next *masthead.Subscription, fresh bool) []*masthead.SubscriptionEvent {
	if fresh {
		detail := planSlug(next.Plan) + ", " + string(next.Status)
		if cur != nil && cur.Complimentary {
			detail += " (replaces complimentary " + planSlug(cur.Plan) + ")"
		}
		return []*masthead.SubscriptionEvent{{Kind: subEventCreated, Detail: detail}}
	}
	var out []*masthead.SubscriptionEvent
	if planSlug(cur.Plan) != planSlug(next.Plan) {
		out = append(out, &masthead.SubscriptionEvent{Kind: subEventPlan, Detail: planSlug(cur.Plan) + " → " + planSlug(next.Plan)})
	}
	if cur.Status != next.Status {
		out = append(out, &masthead.SubscriptionEvent{Kind: subEventStatus, Detail: string(cur.Status) + " → " + string(next.Status)})
	}
	if len(out) == 0 && !cur.CurrentPeriodEnd.Equal(next.CurrentPeriodEnd) {
		out = append(out, &masthead.SubscriptionEvent{Kind: subEventPeriod,
			Detail: dateOnly(cur.CurrentPeriodEnd) + " → " + dateOnly(next.CurrentPeriodEnd)})
	}
	return out
}

// compAudit is a subscription's state as the audit log keeps it for
// complimentary grants and revocations.
type compAudit struct {
	Plan   string `json:"plan"`
	Status string `json:"status"`
	// Until is when the current period ends (RFC 3339, UTC), "" if never.
	Until string `json:"until"`
}

// compAuditState returns sub's state for its audit entries.
func compAuditState(sub *masthead.Subscription) compAudit {
	st := compAudit{Plan: planSlug(sub.Plan), Status: string(sub.Status)}
	if !sub.CurrentPeriodEnd.IsZero() {
		st.Until = sub.CurrentPeriodEnd.UTC().Format(time.RFC3339)
	}
	return st
}

// planSlug returns p's slug for event details, "-" for no plan.
func planSlug(p *masthead.Plan) string {
	if p == nil {
		return "-"
	}
	return p.Slug
}

// Subscriber list page sizes.
const (
	defaultSubscriberLimit = 50
	maxSubscriberLimit     = 100
)

// grantsAt is the SQL condition that subscription s grants its plan at the
// time bound to param: masthead.Subscription.Grants. It is false, never
// NULL, for an existing row.
func grantsAt(param string) string {
	return `(s.plan_id IS NOT NULL AND
	((s.status IN ('trialing', 'active', 'cancelled') AND (s.current_period_end IS NULL OR s.current_period_end > ` + param + `))
	OR (s.status = 'past_due' AND s.grace_end IS NOT NULL AND s.grace_end > ` + param + `)))`
}

// likePattern returns a LIKE pattern (with \ as the escape character)
// matching q anywhere, in lower case.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}

// FindSubscribers returns a page of live accounts in ID order with their
// subscriptions and effective plans. Query matches the email address or
// display name (case-insensitively; on SQLite only ASCII letters fold);
// Plan is the slug of the effective plan ("free": no subscription that
// grants a plan); Status is the stored subscription status. An unknown
// plan slug matches nobody.
func (ss *SubscriptionService) FindSubscribers(ctx context.Context, f masthead.SubscriberFilter) (*masthead.SubscriberPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultSubscriberLimit
	}
	limit = min(limit, maxSubscriberLimit)
	now := ss.db.clock()
	page := &masthead.SubscriberPage{}
	err := ss.db.readTx(ctx, func(tx *sql.Tx) error {
		plans, free, err := plansByID(ctx, tx)
		if err != nil {
			return err
		}
		args := []any{f.After}
		arg := func(v any) string {
			args = append(args, v)
			return "$" + strconv.Itoa(len(args))
		}
		nowParam := ""
		grants := func() string {
			if nowParam == "" {
				nowParam = arg(ss.db.timeArg(now))
			}
			return grantsAt(nowParam)
		}
		var where strings.Builder
		where.WriteString(`a.deleted_at IS NULL AND a.id > $1`)
		if q := strings.TrimSpace(f.Query); q != "" {
			p := arg(likePattern(q))
			fmt.Fprintf(&where, ` AND (lower(a.email) LIKE %[1]s ESCAPE '\' OR lower(COALESCE(a.display_name, '')) LIKE %[1]s ESCAPE '\')`, p)
		}
		if f.Plan != "" {
			var planID int64
			for _, p := range plans {
				if p.Slug == f.Plan {
					planID = p.ID
				}
			}
			switch {
			case planID == 0:
				return nil
			case planID == free.ID:
				fmt.Fprintf(&where, ` AND (s.id IS NULL OR NOT %s OR s.plan_id = %s)`, grants(), arg(free.ID))
			default:
				fmt.Fprintf(&where, ` AND s.plan_id = %s AND %s`, arg(planID), grants())
			}
		}
		if f.Status != "" {
			fmt.Fprintf(&where, ` AND s.status = %s`, arg(string(f.Status)))
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+accountColumns+`, `+subscriptionColumns+`
FROM accounts a LEFT JOIN subscriptions s ON s.account_id = a.id
WHERE `+where.String()+`
ORDER BY a.id LIMIT `+arg(limit+1), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ar accountRow
			var sr subscriptionRow
			if err := rows.Scan(append(ar.dest(), sr.dest()...)...); err != nil {
				return err
			}
			if len(page.Subscribers) == limit {
				page.Next = page.Subscribers[limit-1].Account.ID
				break
			}
			sub := &masthead.Subscriber{Account: ar.account(), Plan: free}
			if sr.ID != 0 {
				s := sr.Subscription
				s.Plan = plans[sr.planID] // nil for planID 0
				if s.Grants(now) {
					sub.Subscription, sub.Plan = &s, s.Plan
				}
			}
			page.Subscribers = append(page.Subscribers, sub)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: find subscribers: %w", err)
	}
	return page, nil
}
