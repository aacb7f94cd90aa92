-- Reply emails: the thread an outbox message of kind comment_reply is
-- about, so that later replies in the thread are batched into it, and
-- tokens of the purpose unsubscribe_replies (one-click unsubscribe links).

-- thread_id is the top-level comment of the thread (NULL for other kinds).
ALTER TABLE outbox ADD COLUMN thread_id BIGINT;

CREATE INDEX outbox_thread ON outbox (account_id, thread_id, id) WHERE thread_id IS NOT NULL;

ALTER TABLE tokens DROP CONSTRAINT tokens_purpose_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_purpose_check
	CHECK (purpose IN ('verify', 'reset', 'email_change', 'unsubscribe_replies'));
