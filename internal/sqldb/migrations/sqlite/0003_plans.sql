-- Plans and their prices, subscriptions and their history, the Stripe
-- events seen (for idempotency) and customers linked to accounts, the
-- registered readers' meter, gift links and the site's secrets. Times are
-- INTEGER unix nanoseconds, UTC; booleans are INTEGER 0 or 1.

CREATE TABLE plans (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	trial_days INTEGER NOT NULL DEFAULT 0 CHECK (trial_days >= 0),
	comment INTEGER NOT NULL DEFAULT 0 CHECK (comment IN (0, 1)),
	read_premium INTEGER NOT NULL DEFAULT 0 CHECK (read_premium IN (0, 1)),
	-- -1 is unlimited.
	metered_per_month INTEGER NOT NULL DEFAULT 0 CHECK (metered_per_month >= -1),
	gift_links_per_month INTEGER NOT NULL DEFAULT 0 CHECK (gift_links_per_month >= 0),
	free INTEGER NOT NULL DEFAULT 0 CHECK (free IN (0, 1)),
	visible INTEGER NOT NULL DEFAULT 1 CHECK (visible IN (0, 1)),
	archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
	position INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (NOT (free AND archived))
) STRICT;

-- At most one Free plan; the row below makes it exactly one.
CREATE UNIQUE INDEX plans_one_free ON plans (free) WHERE free = 1;

INSERT INTO plans (slug, name, description, metered_per_month, free, visible, position, created_at, updated_at)
VALUES ('free', 'Free', '', 10, 1, 1, 0,
	CAST(strftime('%s', 'now') AS INTEGER) * 1000000000,
	CAST(strftime('%s', 'now') AS INTEGER) * 1000000000);

CREATE TABLE plan_prices (
	plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
	billing_interval TEXT NOT NULL CHECK (billing_interval IN ('month', 'year')),
	amount INTEGER NOT NULL CHECK (amount > 0),
	currency TEXT NOT NULL,
	stripe_price_id TEXT UNIQUE,
	PRIMARY KEY (plan_id, billing_interval)
) STRICT;

-- One row per account: its current subscription. A new subscription
-- replaces the row's state; the history is in subscription_events.
CREATE TABLE subscriptions (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL UNIQUE REFERENCES accounts (id),
	-- NULL while no event has told which plan (an invoice event can come
	-- before the subscription event that names the price).
	plan_id INTEGER REFERENCES plans (id),
	status TEXT NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'cancelled', 'expired')),
	billing_interval TEXT NOT NULL DEFAULT '',
	current_period_end INTEGER,
	grace_end INTEGER,
	complimentary INTEGER NOT NULL DEFAULT 0 CHECK (complimentary IN (0, 1)),
	stripe_customer_id TEXT,
	stripe_subscription_id TEXT UNIQUE,
	stripe_version TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX subscriptions_plan ON subscriptions (plan_id, status);
CREATE INDEX subscriptions_customer ON subscriptions (stripe_customer_id) WHERE stripe_customer_id IS NOT NULL;

CREATE TABLE subscription_events (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	subscription_id INTEGER REFERENCES subscriptions (id),
	kind TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	actor_id INTEGER REFERENCES accounts (id),
	stripe_event_id TEXT,
	at INTEGER NOT NULL
) STRICT;

CREATE INDEX subscription_events_account ON subscription_events (account_id, at, id);

-- Every Stripe event applied, by ID, so that a redelivery changes nothing.
CREATE TABLE stripe_events (
	id TEXT PRIMARY KEY,
	type TEXT NOT NULL,
	created INTEGER NOT NULL,
	received_at INTEGER NOT NULL
) STRICT;

CREATE TABLE stripe_customers (
	account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
	customer_id TEXT NOT NULL UNIQUE
) STRICT;

-- One row per metered story a registered reader read in a meter period.
CREATE TABLE meter_reads (
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
	period_start INTEGER NOT NULL,
	read_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, period_start, story_id)
) STRICT;

-- token_hash is the SHA-256 of the link's token.
CREATE TABLE gift_links (
	id INTEGER PRIMARY KEY,
	token_hash BLOB NOT NULL UNIQUE,
	story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
	giver_id INTEGER NOT NULL REFERENCES accounts (id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	opens INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX gift_links_giver ON gift_links (giver_id, created_at);

CREATE TABLE site_secrets (
	name TEXT PRIMARY KEY,
	value BLOB NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
