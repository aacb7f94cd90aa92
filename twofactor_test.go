package masthead

import (
	"encoding/base32"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rfcSecret is the SHA1 key of RFC 6238's appendix B, "12345678901234567890"
// in ASCII, as base32.
var rfcSecret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))

// TestTOTPRFC6238 checks the SHA1 test vectors of RFC 6238 appendix B. The
// RFC gives 8-digit values; a 6-digit code is their last six digits.
func TestTOTPRFC6238(t *testing.T) {
	tests := []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			at := time.Unix(tt.unix, 0)
			if got, want := TOTPCode(rfcSecret, TOTPStep(at)), tt.want[2:]; got != want {
				t.Errorf("TOTPCode at %d = %q, want %q", tt.unix, got, want)
			}
			if got, want := hotp([]byte("12345678901234567890"), uint64(TOTPStep(at)), 8), tt.want; got != want {
				t.Errorf("8-digit value at %d = %q, want %q", tt.unix, got, want)
			}
			step, ok := VerifyTOTP(rfcSecret, tt.want[2:], at, 0)
			if !ok || step != TOTPStep(at) {
				t.Errorf("VerifyTOTP = %d, %v; want %d, true", step, ok, TOTPStep(at))
			}
		})
	}
}

func TestVerifyTOTPWindow(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	step := TOTPStep(now)
	secret := NewTOTPSecret()
	tests := []struct {
		name     string
		codeStep int64
		lastStep int64
		code     func(string) string
		ok       bool
	}{
		{"current step", step, 0, nil, true},
		{"one step early", step - 1, 0, nil, true},
		{"one step late", step + 1, 0, nil, true},
		{"two steps early", step - 2, 0, nil, false},
		{"two steps late", step + 2, 0, nil, false},
		{"replayed step", step, step, nil, false},
		{"earlier than last used", step - 1, step, nil, false},
		{"next step after last used", step + 1, step, nil, true},
		{"with spaces", step, 0, func(c string) string { return c[:3] + " " + c[3:] }, true},
		{"too short", step, 0, func(c string) string { return c[:5] }, false},
		{"letters", step, 0, func(string) string { return "abcdef" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := TOTPCode(secret, tt.codeStep)
			if tt.code != nil {
				code = tt.code(code)
			}
			got, ok := VerifyTOTP(secret, code, now, tt.lastStep)
			if ok != tt.ok {
				t.Fatalf("VerifyTOTP ok = %v, want %v", ok, tt.ok)
			}
			if ok && got != tt.codeStep {
				t.Errorf("VerifyTOTP step = %d, want %d", got, tt.codeStep)
			}
		})
	}
}

func TestTOTPSecret(t *testing.T) {
	s := NewTOTPSecret()
	if got, want := len(s), 32; got != want {
		t.Fatalf("len(NewTOTPSecret()) = %d, want %d (160 bits of base32)", got, want)
	}
	if s == NewTOTPSecret() {
		t.Error("two new secrets are equal")
	}
	tests := []struct {
		name  string
		in    string
		valid bool
	}{
		{"as made", s, true},
		{"grouped, lower case", strings.ToLower(GroupSecret(s)), true},
		{"too short", s[:16], false},
		{"not base32", "0000" + s[4:], false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeTOTPSecret(tt.in)
			if (err == nil) != tt.valid {
				t.Fatalf("NormalizeTOTPSecret(%q) error = %v, want valid %v", tt.in, err, tt.valid)
			}
			if tt.valid && got != s {
				t.Errorf("NormalizeTOTPSecret = %q, want %q", got, s)
			}
		})
	}
	if got, want := GroupSecret("ABCDEFGHIJ"), "ABCD EFGH IJ"; got != want {
		t.Errorf("GroupSecret = %q, want %q", got, want)
	}
}

func TestTOTPURI(t *testing.T) {
	got := TOTPURI("The Port Alder Courier", "admin@example.com", rfcSecret)
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Errorf("URI %q: want otpauth://totp/", got)
	}
	if want := "/The Port Alder Courier:admin@example.com"; u.Path != want {
		t.Errorf("label = %q, want %q", u.Path, want)
	}
	q := u.Query()
	for k, want := range map[string]string{"secret": rfcSecret, "issuer": "The Port Alder Courier", "algorithm": "SHA1", "digits": "6", "period": "30"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := NewRecoveryCodes()
	if got, want := len(codes), RecoveryCodeCount; got != want {
		t.Fatalf("got %d codes, want %d", got, want)
	}
	shape := regexp.MustCompile(`^[a-z2-9]{5}-[a-z2-9]{5}$`)
	seen := map[string]bool{}
	for _, c := range codes {
		if !shape.MatchString(c) {
			t.Errorf("code %q does not look like xxxxx-xxxxx", c)
		}
		if seen[c] {
			t.Errorf("code %q repeated", c)
		}
		seen[c] = true
	}
	c := codes[0]
	tests := []struct {
		name string
		in   string
		ok   bool
		same bool
	}{
		{"as shown", c, true, true},
		{"upper case without hyphen", strings.ToUpper(strings.ReplaceAll(c, "-", "")), true, true},
		{"with spaces", " " + c[:5] + " " + c[6:] + " ", true, true},
		{"a TOTP code", "123456", false, false},
		{"too long", c + "a", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := NormalizeRecoveryCode(tt.in)
			if ok != tt.ok {
				t.Errorf("NormalizeRecoveryCode(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if same := string(HashRecoveryCode(tt.in)) == string(HashRecoveryCode(c)); same != tt.same {
				t.Errorf("hash equal to the code's = %v, want %v", same, tt.same)
			}
		})
	}
}

func TestPendingSignIn(t *testing.T) {
	err := error(&SecondFactorRequired{Token: "tok"})
	if tok, ok := PendingSignIn(err); !ok || tok != "tok" {
		t.Errorf("PendingSignIn = %q, %v; want tok, true", tok, ok)
	}
	if got, want := ErrorCode(err), ETWOFACTOR; got != want {
		t.Errorf("ErrorCode = %q, want %q", got, want)
	}
	if _, ok := PendingSignIn(Errorf(EUNAUTHORIZED, "no")); ok {
		t.Error("PendingSignIn of another error = true")
	}
}
