package sqldb_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"masthead/internal/sqldb"
)

func TestSecretSharedAcrossHandles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, url string) {
		ctx := context.Background()
		clk := &fakeClock{t: epoch}
		db1, db2 := openDB(t, url, clk), openDB(t, url, clk)
		if err := db1.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		svcs := []*sqldb.SecretService{sqldb.NewSecretService(db1), sqldb.NewSecretService(db2)}
		// Both instances ask at once, the first time.
		got := make([][]byte, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() {
				v, err := svcs[i%2].Secret(ctx, "cookie")
				if err != nil {
					t.Errorf("Secret: %v", err)
				}
				got[i] = v
			})
		}
		wg.Wait()
		if len(got[0]) != 32 || bytes.Equal(got[0], make([]byte, 32)) {
			t.Fatalf("Secret = %x, want 32 random bytes", got[0])
		}
		for i, v := range got {
			if !bytes.Equal(v, got[0]) {
				t.Errorf("Secret #%d = %x, want %x", i, v, got[0])
			}
		}
		// A new instance reads the same; another name is another secret.
		again, err := sqldb.NewSecretService(db2).Secret(ctx, "cookie")
		if err != nil || !bytes.Equal(again, got[0]) {
			t.Errorf("Secret from a new service = %x, %v; want %x", again, err, got[0])
		}
		other, err := svcs[0].Secret(ctx, "other")
		if err != nil || len(other) != 32 || bytes.Equal(other, got[0]) {
			t.Errorf("Secret(other) = %x, %v", other, err)
		}
		if n := countRows(t, db1, "site_secrets"); n != 2 {
			t.Errorf("site_secrets rows = %d, want 2", n)
		}
	})
}
