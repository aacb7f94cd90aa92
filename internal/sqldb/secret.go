package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"sync"

	"masthead"
)

// secretBytes is the size of every site secret.
const secretBytes = 32

// SecretService implements masthead.SecretService. Secrets are made once,
// by whichever instance asks first, and kept in the database; each
// instance caches them after the first read.
type SecretService struct {
	db *DB

	mu    sync.Mutex
	cache map[string][]byte
}

var _ masthead.SecretService = (*SecretService)(nil)

// NewSecretService returns a SecretService that keeps secrets in db.
func NewSecretService(db *DB) *SecretService {
	return &SecretService{db: db, cache: map[string][]byte{}}
}

// Secret returns the secret called name, creating a random 32-byte one the
// first time any instance asks. Every instance sharing the database gets
// the same bytes. The caller must not modify them.
func (ss *SecretService) Secret(ctx context.Context, name string) ([]byte, error) {
	ss.mu.Lock()
	v, ok := ss.cache[name]
	ss.mu.Unlock()
	if ok {
		return v, nil
	}
	fresh := make([]byte, secretBytes)
	rand.Read(fresh)
	now := ss.db.clock()
	err := ss.db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO site_secrets (name, value, created_at) VALUES ($1, $2, $3)
ON CONFLICT (name) DO NOTHING`, name, fresh, ss.db.timeArg(now)); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM site_secrets WHERE name = $1`, name).Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("sqldb: secret %q: %w", name, err)
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if cached, ok := ss.cache[name]; ok {
		return cached, nil
	}
	ss.cache[name] = v
	return v, nil
}
