// Package password hashes and checks account passwords with argon2id.
//
// Hashes are stored as PHC strings,
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// with salt and hash in unpadded standard base64. Verify reads the cost
// parameters from the string itself, so hashes made under older settings
// still verify; NeedsRehash tells the caller when to replace one after a
// successful sign-in.
//
// Argon2id is memory-hard by design: each hash holds Options.Memory KiB for
// its duration. A Hasher therefore computes at most Options.Concurrency hashes
// at once; further callers wait for a slot, so that a burst of sign-ins
// cannot exhaust the server's memory.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"masthead"
)

// Default cost parameters. They follow the OWASP recommendation for argon2id
// of at least 19 MiB of memory, two passes and one lane.
const (
	DefaultMemory      = 19 * 1024 // KiB
	DefaultTime        = 2
	DefaultThreads     = 1
	DefaultKeyLen      = 32
	DefaultSaltLen     = 16
	DefaultConcurrency = 2
)

// Bounds on the parameters a Hasher uses and accepts in a stored hash. They
// keep a corrupt or hostile hash string from demanding unbounded work.
const (
	minSaltLen = 8
	maxSaltLen = 1024
	minKeyLen  = 16
	maxKeyLen  = 1024
	maxMemory  = 4 * 1024 * 1024 // KiB: 4 GiB
	maxTime    = 1 << 16
)

// ErrMalformedHash is returned, wrapped, by Verify when the stored hash is not
// an argon2id PHC string this package can verify.
var ErrMalformedHash = errors.New("password: malformed hash")

// Options are the cost parameters of a Hasher. A zero field takes its
// default (see the Default constants); a value below what argon2id allows is
// raised to the minimum (Memory to 8 KiB per thread, KeyLen to 16 bytes,
// SaltLen to 8 bytes), and one above the bounds a stored hash may have
// (Memory 4 GiB, KeyLen and SaltLen 1024 bytes) is lowered to it.
type Options struct {
	// Memory is the memory cost in KiB.
	Memory uint32
	// Time is the number of passes over the memory.
	Time uint32
	// Threads is the degree of parallelism (lanes).
	Threads uint8
	// KeyLen is the length of the derived key in bytes.
	KeyLen uint32
	// SaltLen is the length of the random salt in bytes.
	SaltLen uint32
	// Concurrency is the most hashes computed at once by the Hasher, across
	// Hash, Verify and DummyVerify; other callers wait for a slot. At most
	// Concurrency × Memory KiB is in use for hashing at any moment.
	Concurrency int
	// ReleaseAfter is how long after the last hash of a burst the memory
	// the hashes used is handed back to the operating system; default 2s,
	// negative never. Each hash allocates Memory KiB afresh, and the Go
	// runtime otherwise keeps what a burst of sign-ins grew the heap to for
	// minutes, which would keep an idle server far above its usual size.
	ReleaseAfter time.Duration
}

// withDefaults returns o with zero fields set to defaults and every field
// within bounds.
func (o Options) withDefaults() Options {
	if o.Memory == 0 {
		o.Memory = DefaultMemory
	}
	if o.Time == 0 {
		o.Time = DefaultTime
	}
	if o.Threads == 0 {
		o.Threads = DefaultThreads
	}
	if o.KeyLen == 0 {
		o.KeyLen = DefaultKeyLen
	}
	if o.SaltLen == 0 {
		o.SaltLen = DefaultSaltLen
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.ReleaseAfter == 0 {
		o.ReleaseAfter = 2 * time.Second
	}
	o.Memory = clamp(o.Memory, 8*uint32(o.Threads), maxMemory)
	o.Time = clamp(o.Time, 1, maxTime)
	o.KeyLen = clamp(o.KeyLen, minKeyLen, maxKeyLen)
	o.SaltLen = clamp(o.SaltLen, minSaltLen, maxSaltLen)
	return o
}

func clamp(v, lo, hi uint32) uint32 {
	return max(lo, min(v, hi))
}

// Hasher hashes and verifies passwords with argon2id and checks new
// passwords against the length rules and a list of common passwords. It
// implements masthead.PasswordHasher. Its methods are safe for concurrent use.
type Hasher struct {
	opts Options
	// slots holds one token per hash being computed.
	slots chan struct{}
	// dummySalt and dummyKey are what DummyVerify hashes with and compares
	// against.
	dummySalt []byte
	dummyKey  []byte

	// inFlight counts hashes being computed; peak is its highest value.
	// Tests read them to check the concurrency bound.
	inFlight atomic.Int64
	peak     atomic.Int64
	// testHook, if set, is called with a slot held, before computing.
	testHook func()

	// release hands memory back to the operating system ReleaseAfter
	// after the last hash; releases counts how often it has (for tests).
	releaseMu sync.Mutex
	release   *time.Timer
	releases  atomic.Int64
}

var _ masthead.PasswordHasher = (*Hasher)(nil)

// New returns a Hasher with the given options.
func New(opts Options) *Hasher {
	opts = opts.withDefaults()
	h := &Hasher{
		opts:      opts,
		slots:     make(chan struct{}, opts.Concurrency),
		dummySalt: make([]byte, opts.SaltLen),
		dummyKey:  make([]byte, opts.KeyLen),
	}
	rand.Read(h.dummySalt)
	rand.Read(h.dummyKey)
	return h
}

// Options returns the options h uses, with defaults filled in.
func (h *Hasher) Options() Options {
	return h.opts
}

// params are the argon2id parameters recorded in a hash string.
type params struct {
	memory  uint32
	time    uint32
	threads uint8
}

// Hash returns the PHC-encoded argon2id hash of password under h's current
// options, with a fresh random salt. It waits for a free slot; if ctx ends
// first it returns an error wrapping ctx.Err().
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, h.opts.SaltLen)
	rand.Read(salt) // never returns an error; it crashes the program instead
	p := params{memory: h.opts.Memory, time: h.opts.Time, threads: h.opts.Threads}
	key, err := h.compute(ctx, password, salt, p, h.opts.KeyLen)
	if err != nil {
		return "", fmt.Errorf("password: hash: %w", err)
	}
	return encode(p, salt, key), nil
}

// Verify reports whether password matches hash, a PHC string made by Hash
// under these or any earlier options. The comparison is constant-time. It
// returns an error wrapping ErrMalformedHash if hash cannot be parsed, and
// one wrapping ctx.Err() if ctx ends while it waits for a slot.
func (h *Hasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	p, salt, want, err := decode(hash)
	if err != nil {
		return false, fmt.Errorf("password: verify: %w", err)
	}
	got, err := h.compute(ctx, password, salt, p, uint32(len(want)))
	if err != nil {
		return false, fmt.Errorf("password: verify: %w", err)
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// DummyVerify does the work of a Verify against a hash made with h's current
// options, and discards the result. Sign-in calls it when no account has the
// given email address, so that the answer takes about as long whether or not
// the address is known. It waits for a slot like Verify and returns early if
// ctx ends first.
func (h *Hasher) DummyVerify(ctx context.Context, password string) {
	p := params{memory: h.opts.Memory, time: h.opts.Time, threads: h.opts.Threads}
	got, err := h.compute(ctx, password, h.dummySalt, p, h.opts.KeyLen)
	if err != nil {
		return
	}
	subtle.ConstantTimeCompare(got, h.dummyKey)
}

// NeedsRehash reports whether hash was made with parameters other than h's
// current options (or cannot be parsed), so that the caller should store a
// new hash of the password after a successful Verify.
func (h *Hasher) NeedsRehash(hash string) bool {
	p, salt, key, err := decode(hash)
	if err != nil {
		return true
	}
	return p.memory != h.opts.Memory ||
		p.time != h.opts.Time ||
		p.threads != h.opts.Threads ||
		uint32(len(salt)) != h.opts.SaltLen ||
		uint32(len(key)) != h.opts.KeyLen
}

// CheckNewPassword returns an EINVALID *masthead.Error for the field
// "password" if password has fewer than masthead.MinPasswordLen or more than
// masthead.MaxPasswordLen characters (Unicode code points), or is, ignoring
// case, one of the 10,000 most common passwords. There are no composition
// rules, and a password is never truncated.
//
// The rules apply to the password as it will be hashed: normalised to
// NFKC, so that full-width "ｐａｓｓｗｏｒｄ" is as common as "password".
func (h *Hasher) CheckNewPassword(password string) error {
	if len(password) > 4*masthead.MaxPasswordLen {
		return masthead.FieldError("password", masthead.Msg(masthead.MsgPasswordTooLong, masthead.MaxPasswordLen))
	}
	password = norm.NFKC.String(password)
	n := utf8.RuneCountInString(password)
	switch {
	case n < masthead.MinPasswordLen:
		return masthead.FieldError("password", masthead.Msg(masthead.MsgPasswordTooShort, masthead.MinPasswordLen))
	case n > masthead.MaxPasswordLen:
		return masthead.FieldError("password", masthead.Msg(masthead.MsgPasswordTooLong, masthead.MaxPasswordLen))
	case isCommon(password):
		return masthead.FieldError("password", masthead.Msg(masthead.MsgPasswordTooCommon))
	}
	return nil
}

// scheduleRelease arranges for the memory of the hashes just computed to be
// returned to the operating system once ReleaseAfter has passed with no
// hash running; a hash in the meantime postpones it.
func (h *Hasher) scheduleRelease() {
	if h.opts.ReleaseAfter < 0 {
		return
	}
	h.releaseMu.Lock()
	defer h.releaseMu.Unlock()
	if h.release == nil {
		h.release = time.AfterFunc(h.opts.ReleaseAfter, func() {
			if h.inFlight.Load() == 0 {
				debug.FreeOSMemory()
				h.releases.Add(1)
			}
		})
		return
	}
	h.release.Reset(h.opts.ReleaseAfter)
}

// compute waits for a slot, then derives a keyLen-byte argon2id key.
//
// The password is normalised to Unicode NFKC first, so that the same
// password typed with a composed or a decomposed accent, or a full-width
// letter, matches.
func (h *Hasher) compute(ctx context.Context, password string, salt []byte, p params, keyLen uint32) ([]byte, error) {
	// Checked first because select picks at random when a slot is also free.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a hashing slot: %w", ctx.Err())
	}
	defer func() { <-h.slots }()

	n := h.inFlight.Add(1)
	defer func() {
		if h.inFlight.Add(-1) == 0 {
			h.scheduleRelease()
		}
	}()
	for {
		peak := h.peak.Load()
		if n <= peak || h.peak.CompareAndSwap(peak, n) {
			break
		}
	}
	if h.testHook != nil {
		h.testHook()
	}
	// Normalised with a slot held, so that the bound covers this work too.
	password = norm.NFKC.String(password)
	return argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, keyLen), nil
}

// encode returns the PHC string for an argon2id key.
func encode(p params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(key))
}

// decode parses a PHC string made by encode, checking every parameter
// against the package's bounds.
func decode(hash string) (p params, salt, key []byte, err error) {
	fail := func(why string) (params, []byte, []byte, error) {
		return params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, why)
	}
	fields := strings.Split(hash, "$")
	if len(fields) != 6 || fields[0] != "" {
		return fail("not a PHC string")
	}
	if fields[1] != "argon2id" {
		return fail("algorithm is not argon2id")
	}
	if v, ok := strings.CutPrefix(fields[2], "v="); !ok {
		return fail("no version")
	} else if n, ok := parseUint(v); !ok || n != argon2.Version {
		return fail("unsupported version")
	}
	kv := strings.Split(fields[3], ",")
	if len(kv) != 3 {
		return fail("parameters are not m,t,p")
	}
	var vals [3]uint32
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(kv[i], name+"=")
		if !ok {
			return fail("parameters are not m,t,p")
		}
		if vals[i], ok = parseUint(v); !ok {
			return fail("parameter " + name + " is not a number")
		}
	}
	if vals[2] < 1 || vals[2] > 255 {
		return fail("parallelism out of range")
	}
	p = params{memory: vals[0], time: vals[1], threads: uint8(vals[2])}
	if p.time < 1 || p.time > maxTime {
		return fail("time cost out of range")
	}
	if p.memory < 8*uint32(p.threads) || p.memory > maxMemory {
		return fail("memory cost out of range")
	}
	if salt, err = base64.RawStdEncoding.DecodeString(fields[4]); err != nil {
		return fail("salt is not base64")
	}
	if len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return fail("salt length out of range")
	}
	if key, err = base64.RawStdEncoding.DecodeString(fields[5]); err != nil {
		return fail("hash is not base64")
	}
	if len(key) < minKeyLen || len(key) > maxKeyLen {
		return fail("hash length out of range")
	}
	return p, salt, key, nil
}

// parseUint parses a 32-bit decimal number without sign or leading zeros,
// as the PHC string format requires.
func parseUint(s string) (uint32, bool) {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, false
	}
	return uint32(n), true
}
