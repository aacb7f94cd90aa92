package password

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
)

// cheap are fast options for tests that are not about the cost parameters.
var cheap = Options{Memory: 64, Time: 1, Threads: 1}

func TestHashVerify(t *testing.T) {
	h := New(cheap)
	ctx := context.Background()
	tests := []struct {
		name     string
		password string
		attempt  string
		want     bool
	}{
		{"same", "correct horse battery staple", "correct horse battery staple", true},
		{"wrong", "correct horse battery staple", "correct horse battery stapler", false},
		{"case differs", "Correct Horse", "correct horse", false},
		{"empty attempt", "correct horse battery staple", "", false},
		{"multibyte", "pässwörd ünicode 鍵", "pässwörd ünicode 鍵", true},
		{"trailing space matters", "hunter2hunter2 ", "hunter2hunter2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash, err := h.Hash(ctx, tt.password)
			if err != nil {
				t.Fatalf("Hash: %v", err)
			}
			got, err := h.Verify(ctx, hash, tt.attempt)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != tt.want {
				t.Errorf("Verify(%q) = %v, want %v", tt.attempt, got, tt.want)
			}
		})
	}
}

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

// TestHashFormatDefaults is the one test that hashes with the default
// (production) cost.
func TestHashFormatDefaults(t *testing.T) {
	h := New(Options{})
	hash, err := h.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	m := phc.FindStringSubmatch(hash)
	if m == nil {
		t.Fatalf("hash %q is not an argon2id PHC string", hash)
	}
	if got, want := strings.Join(m[1:4], ","), "19456,2,1"; got != want {
		t.Errorf("m,t,p = %s, want %s", got, want)
	}
	salt, err := base64.RawStdEncoding.DecodeString(m[4])
	if err != nil {
		t.Fatalf("salt: %v", err)
	}
	key, err := base64.RawStdEncoding.DecodeString(m[5])
	if err != nil {
		t.Fatalf("key: %v", err)
	}
	if got, want := len(salt), 16; got != want {
		t.Errorf("salt length = %d, want %d", got, want)
	}
	if got, want := len(key), 32; got != want {
		t.Errorf("key length = %d, want %d", got, want)
	}
	if h.NeedsRehash(hash) {
		t.Errorf("NeedsRehash(own hash) = true, want false")
	}
	if ok, err := h.Verify(context.Background(), hash, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("Verify = %v, %v; want true, nil", ok, err)
	}
	got := h.Options()
	want := Options{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16, Concurrency: 2, ReleaseAfter: 2 * time.Second}
	if got != want {
		t.Errorf("Options() = %+v, want %+v", got, want)
	}
}

// TestVerifyReference checks hashes made by the reference implementation's
// command-line tool (argon2 20190702, `argon2 SALT -id -t T -k M -p P -l L -e`).
func TestVerifyReference(t *testing.T) {
	h := New(cheap)
	tests := []struct {
		name, hash, password string
	}{
		{"m=64,t=2,p=1", "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQxNmJ5dGVzIQ$Y2CJGAr8l7vl1KWsXzelFMkPu0mT2tW2lvmFzUO2n8I", "correct horse battery staple"},
		{"m=256,t=3,p=2,len=24", "$argon2id$v=19$m=256,t=3,p=2$c2FsdHNhbHRzYWx0$8V2irfJC1ILIrl38r1fk0Mghk3vM0Fmb", "pässwörd ünicode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(context.Background(), tt.hash, tt.password)
			if err != nil || !ok {
				t.Errorf("Verify(right password) = %v, %v; want true, nil", ok, err)
			}
			ok, err = h.Verify(context.Background(), tt.hash, tt.password+"x")
			if err != nil || ok {
				t.Errorf("Verify(wrong password) = %v, %v; want false, nil", ok, err)
			}
		})
	}
}

func TestOldParamsVerifyAndNeedRehash(t *testing.T) {
	ctx := context.Background()
	old := New(Options{Memory: 32, Time: 1, Threads: 1, KeyLen: 16, SaltLen: 8})
	hash, err := old.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if old.NeedsRehash(hash) {
		t.Errorf("old.NeedsRehash(old hash) = true, want false")
	}
	tests := []struct {
		name string
		opts Options
	}{
		{"more memory", Options{Memory: 128, Time: 1, Threads: 1, KeyLen: 16, SaltLen: 8}},
		{"more time", Options{Memory: 32, Time: 2, Threads: 1, KeyLen: 16, SaltLen: 8}},
		{"more threads", Options{Memory: 32, Time: 1, Threads: 2, KeyLen: 16, SaltLen: 8}},
		{"longer key", Options{Memory: 32, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 8}},
		{"longer salt", Options{Memory: 32, Time: 1, Threads: 1, KeyLen: 16, SaltLen: 16}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(tt.opts)
			ok, err := h.Verify(ctx, hash, "correct horse battery staple")
			if err != nil || !ok {
				t.Errorf("Verify = %v, %v; want true, nil", ok, err)
			}
			if ok, _ := h.Verify(ctx, hash, "wrong horse battery staple"); ok {
				t.Errorf("Verify(wrong) = true, want false")
			}
			if !h.NeedsRehash(hash) {
				t.Errorf("NeedsRehash = false, want true")
			}
			fresh, err := h.Hash(ctx, "correct horse battery staple")
			if err != nil {
				t.Fatal(err)
			}
			if h.NeedsRehash(fresh) {
				t.Errorf("NeedsRehash(fresh hash) = true, want false")
			}
		})
	}
}

func TestUniqueSalts(t *testing.T) {
	h := New(cheap)
	seenHash := map[string]bool{}
	seenSalt := map[string]bool{}
	for range 20 {
		hash, err := h.Hash(context.Background(), "same password every time")
		if err != nil {
			t.Fatal(err)
		}
		salt := strings.Split(hash, "$")[4]
		if seenHash[hash] || seenSalt[salt] {
			t.Fatalf("hash %q repeats a salt", hash)
		}
		seenHash[hash], seenSalt[salt] = true, true
	}
}

func TestNoTruncation(t *testing.T) {
	h := New(cheap)
	ctx := context.Background()
	base := strings.Repeat("abcdefghij", 10)[:99]
	a, b := base+"a", base+"b"
	if n := len([]rune(a)); n != 100 {
		t.Fatalf("test password has %d characters, want 100", n)
	}
	hash, err := h.Hash(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.Verify(ctx, hash, b); ok {
		t.Errorf("Verify(password differing in character 100) = true, want false")
	}
	// Same salt, so only the password can make the keys differ.
	_, salt, keyA, err := decode(hash)
	if err != nil {
		t.Fatal(err)
	}
	p := params{memory: cheap.Memory, time: cheap.Time, threads: cheap.Threads}
	keyB, err := h.compute(ctx, b, salt, p, uint32(len(keyA)))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(keyA, keyB) {
		t.Errorf("keys of two passwords differing in character 100 are equal")
	}
}

func TestVerifyMalformed(t *testing.T) {
	h := New(cheap)
	good, err := h.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(good, "$") // "", argon2id, v=19, m=..., salt, key
	join := func(params, salt, key string) string {
		return strings.Join([]string{"", "argon2id", "v=19", params, salt, key}, "$")
	}
	tests := []struct {
		name, hash string
	}{
		{"empty", ""},
		{"plain text", "correct horse battery staple"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p5GKJgWJVSd8CMdRqwoQ2u"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"version 16", strings.Replace(good, "v=19", "v=16", 1)},
		{"no version", strings.Replace(good, "$v=19", "", 1)},
		{"params out of order", join("t=1,m=64,p=1", f[4], f[5])},
		{"param missing", join("m=64,t=1", f[4], f[5])},
		{"param not a number", join("m=64,t=x,p=1", f[4], f[5])},
		{"leading zero", join("m=064,t=1,p=1", f[4], f[5])},
		{"negative", join("m=64,t=-1,p=1", f[4], f[5])},
		{"zero time", join("m=64,t=0,p=1", f[4], f[5])},
		{"zero threads", join("m=64,t=1,p=0", f[4], f[5])},
		{"256 threads", join("m=4096,t=1,p=256", f[4], f[5])},
		{"memory below 8 per thread", join("m=8,t=1,p=2", f[4], f[5])},
		{"memory above bound", join("m=4194305,t=1,p=1", f[4], f[5])},
		{"memory overflows", join("m=4294967296,t=1,p=1", f[4], f[5])},
		{"salt not base64", join(f[3], "!!!!", f[5])},
		{"salt padded", join(f[3], f[4]+"==", f[5])},
		{"salt too short", join(f[3], "c2FsdA", f[5])},
		{"key too short", join(f[3], f[4], "a2V5")},
		{"extra field", good + "$x"},
		{"missing key", strings.Join(f[:5], "$")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(context.Background(), tt.hash, "correct horse battery staple")
			if ok || !errors.Is(err, ErrMalformedHash) {
				t.Errorf("Verify(%q) = %v, %v; want false, ErrMalformedHash", tt.hash, ok, err)
			}
			if !h.NeedsRehash(tt.hash) {
				t.Errorf("NeedsRehash(%q) = false, want true", tt.hash)
			}
		})
	}
}

func TestCheckNewPassword(t *testing.T) {
	h := New(cheap)
	short := masthead.Msg(masthead.MsgPasswordTooShort, masthead.MinPasswordLen)
	long := masthead.Msg(masthead.MsgPasswordTooLong, masthead.MaxPasswordLen)
	common := masthead.Msg(masthead.MsgPasswordTooCommon)
	tests := []struct {
		name     string
		password string
		want     string // message, or "" for accepted
	}{
		{"empty", "", short},
		{"7 characters", "xq7#Lm2", short},
		{"8 characters", "xq7#Lm2p", ""},
		{"128 characters", strings.Repeat("xq7#Lm2p", 16), ""},
		{"129 characters", strings.Repeat("xq7#Lm2p", 16) + "z", long},
		{"7 two-byte characters (14 bytes)", strings.Repeat("é", 7), short},
		{"8 two-byte characters", strings.Repeat("é", 8), ""},
		{"8 four-byte characters", strings.Repeat("🔑", 8), ""},
		{"128 two-byte characters (256 bytes)", strings.Repeat("é", 128), ""},
		{"129 two-byte characters", strings.Repeat("é", 129), long},
		{"only spaces, no composition rules", "        ", ""},
		{"only digits, not common", "73915820", ""},
		{"common: password123", "password123", common},
		{"common: qwertyuiop", "qwertyuiop", common},
		{"common: iloveyou", "iloveyou", common},
		{"common: trustno1", "trustno1", common},
		{"common: 12345678", "12345678", common},
		{"common, other case: PassWord123", "PassWord123", common},
		{"common, upper case: ILOVEYOU", "ILOVEYOU", common},
		{"common plus a character", "password123!", ""},
		{"common 6 characters is too short first", "123456", short},
		{"long passphrase", "violet tractor whispers under 7 brass lanterns", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.CheckNewPassword(tt.password)
			if tt.want == "" {
				if err != nil {
					t.Errorf("CheckNewPassword(%q) = %v, want nil", tt.password, err)
				}
				return
			}
			if got, want := masthead.ErrorCode(err), masthead.EINVALID; got != want {
				t.Errorf("code = %q, want %q (err %v)", got, want, err)
			}
			if got, want := masthead.ErrorField(err), "password"; got != want {
				t.Errorf("field = %q, want %q", got, want)
			}
			if got := masthead.ErrorMessage(err); got != tt.want {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCommonPasswordList(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(commonPasswordsText, "\n"), "\n")
	if got, want := len(lines), 10000; got != want {
		t.Errorf("list has %d lines, want %d", got, want)
	}
	if got, want := len(commonPasswords()), 10000; got != want {
		t.Errorf("set has %d entries, want %d", got, want)
	}
	for i, line := range lines {
		if line == "" || line != strings.ToLower(line) || strings.TrimSpace(line) != line {
			t.Errorf("line %d = %q: want non-empty, lower case, no surrounding space", i+1, line)
		}
	}
	// Most common first.
	if got, want := strings.Join(lines[:3], ","), "123456,password,12345678"; got != want {
		t.Errorf("first entries = %s, want %s", got, want)
	}
}

// TestConcurrencyBound starts more hashes than there are slots and checks
// that no more than Concurrency are computed at once.
func TestConcurrencyBound(t *testing.T) {
	for _, limit := range []int{1, 2} {
		t.Run(fmt.Sprintf("concurrency %d", limit), func(t *testing.T) {
			opts := cheap
			opts.Concurrency = limit
			h := New(opts)
			// Hold each slot a little so that callers pile up.
			h.testHook = func() { time.Sleep(5 * time.Millisecond) }
			hash, err := h.Hash(context.Background(), "correct horse battery staple")
			if err != nil {
				t.Fatal(err)
			}
			const n = 12
			var wg sync.WaitGroup
			errs := make(chan error, 3*n)
			for i := range n {
				wg.Go(func() {
					_, err := h.Hash(context.Background(), fmt.Sprint("password ", i))
					errs <- err
				})
				wg.Go(func() {
					_, err := h.Verify(context.Background(), hash, "correct horse battery staple")
					errs <- err
				})
				wg.Go(func() { h.DummyVerify(context.Background(), "nobody's password") })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
			if got, want := h.peak.Load(), int64(limit); got != want {
				t.Errorf("most hashes at once = %d, want %d", got, want)
			}
			if got := h.inFlight.Load(); got != 0 {
				t.Errorf("hashes in flight after all returned = %d, want 0", got)
			}
		})
	}
}

// TestWaitCancelled checks that callers waiting for a slot give up promptly
// when their context ends.
func TestWaitCancelled(t *testing.T) {
	opts := cheap
	opts.Concurrency = 1
	h := New(opts)
	hash, err := h.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}

	// Occupy the only slot until release is closed.
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	h.testHook = func() {
		once.Do(func() {
			close(entered)
			<-release
		})
	}
	holder := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "slot holder")
		holder <- err
	}()
	<-entered

	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Hash", func(ctx context.Context) error {
			_, err := h.Hash(ctx, "correct horse battery staple")
			return err
		}},
		{"Verify", func(ctx context.Context) error {
			_, err := h.Verify(ctx, hash, "correct horse battery staple")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" deadline", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := tt.call(ctx)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("returned after %v, want soon after the 20ms deadline", d)
			}
		})
		t.Run(tt.name+" already cancelled", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := tt.call(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		})
	}
	t.Run("DummyVerify", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		start := time.Now()
		h.DummyVerify(ctx, "nobody's password")
		if d := time.Since(start); d > time.Second {
			t.Errorf("returned after %v, want soon after the 20ms deadline", d)
		}
	})

	close(release)
	if err := <-holder; err != nil {
		t.Errorf("slot holder: %v", err)
	}
	// The slot is free again.
	if _, err := h.Hash(context.Background(), "after"); err != nil {
		t.Errorf("Hash after release: %v", err)
	}
}

// TestDummyVerifyCost checks that DummyVerify does the work of a Verify of
// a current hash: it takes a slot and computes one hash with the current
// parameters. (Its time is not asserted: machines here are shared and
// noisy; BenchmarkVerify and BenchmarkDummyVerify print the numbers.)
func TestDummyVerifyCost(t *testing.T) {
	h := New(Options{Memory: 4 * 1024, Time: 2, Threads: 1})
	ctx := context.Background()
	hash, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	h.testHook = func() { calls++ }
	for range 5 {
		h.Verify(ctx, hash, "wrong password here")
		h.DummyVerify(ctx, "wrong password here")
	}
	if got, want := calls, 10; got != want {
		t.Errorf("hashes computed = %d, want %d", got, want)
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	h := New(Options{})
	ctx := context.Background()
	for b.Loop() {
		h.DummyVerify(ctx, "wrong password here")
	}
}

func BenchmarkHash(b *testing.B) {
	h := New(Options{})
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := New(Options{})
	ctx := context.Background()
	hash, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := h.Verify(ctx, hash, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckNewPassword(b *testing.B) {
	h := New(cheap)
	for b.Loop() {
		h.CheckNewPassword("violet tractor whispers")
	}
}

func TestUnicodeNormalisation(t *testing.T) {
	h := New(Options{Memory: 1024, Time: 1, Threads: 1})
	ctx := context.Background()
	composed := "caf\u00e9 au lait, s'il vous pla\u00eet"
	decomposed := "cafe\u0301 au lait, s'il vous plai\u0302t"
	hash, err := h.Hash(ctx, composed)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := h.Verify(ctx, hash, decomposed); err != nil || !ok {
		t.Errorf("Verify(decomposed form) = %v, %v; want true", ok, err)
	}
	if ok, _ := h.Verify(ctx, hash, "cafe au lait, s'il vous plait"); ok {
		t.Error("Verify accepted the password without its accents")
	}
}

func TestMemoryReleasedAfterABurst(t *testing.T) {
	h := New(Options{Memory: 1024, Time: 1, Threads: 1, ReleaseAfter: 10 * time.Millisecond})
	ctx := context.Background()
	for range 3 {
		if _, err := h.Hash(ctx, "a burst of sign-ins"); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.releases.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := h.releases.Load(); got != 1 {
		t.Errorf("memory released %d times after one burst, want 1", got)
	}

	never := New(Options{Memory: 1024, Time: 1, Threads: 1, ReleaseAfter: -1})
	never.Hash(ctx, "no release wanted")
	time.Sleep(20 * time.Millisecond)
	if got := never.releases.Load(); got != 0 {
		t.Errorf("memory released %d times with ReleaseAfter < 0, want 0", got)
	}
}
