package e2e

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// demoAdminTOTPSecret is the demo administrator's published two-factor
// secret (internal/demo.AdminTOTPSecret, printed at start-up); the browser
// tests import nothing of the app, so it is repeated here.
const demoAdminTOTPSecret = "MASTHEADDEMOADMINTWOFACTORKEY234"

// totpCode returns the RFC 6238 code (HMAC-SHA1, 6 digits, 30-second
// steps) of a base32 secret at t.
func totpCode(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatalf("TOTP secret: %v", err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[off:off+4])&0x7fffffff)%1_000_000)
}

// TestTOTPCode checks the helper against RFC 6238's SHA1 vectors (their
// last six digits).
func TestTOTPCode(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 20000000000: "353130"} {
		if got := totpCode(t, secret, time.Unix(unix, 0)); got != want {
			t.Errorf("code at %d = %s, want %s", unix, got, want)
		}
	}
}

// secondStep finishes a sign-in that was sent on to /signin/two-factor,
// with a code of secret. A code works once, so if the current step's code
// has been used already (by an earlier sign-in in the same 30 seconds) it
// waits for the next step and tries again.
func (c *client) secondStep(resp *http.Response, secret string) *http.Response {
	c.t.Helper()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin/two-factor") {
		return resp
	}
	for attempt := 0; ; attempt++ {
		resp = c.post("/signin/two-factor", url.Values{"code": {totpCode(c.t, secret, time.Now())}})
		if resp.StatusCode != http.StatusUnauthorized || attempt == 1 {
			return resp
		}
		time.Sleep(time.Until(time.Now().Truncate(30 * time.Second).Add(30*time.Second + 500*time.Millisecond)))
	}
}
