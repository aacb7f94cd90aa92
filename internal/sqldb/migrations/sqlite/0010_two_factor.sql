-- Two-factor sign-in: an account's TOTP secret and the last time step
-- accepted (a code works once), its recovery codes (only their hashes),
-- and the sign-ins waiting for their second step. Times are INTEGER unix
-- nanoseconds, UTC; hashes are BLOBs.

-- A row means two-factor sign-in is on. The secret must be kept readable:
-- checking a code needs it.
CREATE TABLE two_factor (
	account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	secret TEXT NOT NULL,
	last_step INTEGER NOT NULL DEFAULT 0,
	enabled_at INTEGER NOT NULL
) STRICT;

CREATE TABLE recovery_codes (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	code_hash BLOB NOT NULL,
	used_at INTEGER,
	created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX recovery_codes_account ON recovery_codes (account_id, code_hash);

-- A sign-in whose password was right, waiting for its code. Its token is
-- never a session: only the second step accepts it, once.
CREATE TABLE pending_sign_ins (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	token_hash BLOB NOT NULL UNIQUE,
	expires_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX pending_sign_ins_account ON pending_sign_ins (account_id);
CREATE INDEX pending_sign_ins_expires ON pending_sign_ins (expires_at);
