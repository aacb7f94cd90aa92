package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"masthead"
)

// The anonymous meter's cookie. Its value is
//
//	v1.<period start, Unix seconds>.<story IDs joined by "-">.<signature>
//
// where the signature is the unpadded URL-safe base64 of HMAC-SHA256, keyed
// with the site secret "meter-cookie", of everything before the last dot.
// A cookie that does not parse or whose signature is wrong counts as a
// spent meter: deleting the cookie is the only way round the meter, as
// with any cookie-based count, but forging a fresh one is not.
//
// The cookie holds at most as many IDs as the anonymous allowance, and at
// least meterCookieMaxIDs are accepted; see meterCookieCaps.
const (
	MeterCookieName   = "masthead_meter"
	meterSecretName   = "meter-cookie"
	meterCookieMaxIDs = 100
	meterCookieMaxLen = 2048
	// meterCookieFixedLen bounds the cookie's length without its IDs
	// (version, period start, dots and signature); meterCookieIDLen that
	// of one ID with its separator.
	meterCookieFixedLen = 96
	meterCookieIDLen    = 20
)

// meterCookieCaps returns how many story IDs, and how many bytes, a valid
// meter cookie may hold under an anonymous allowance of allowance stories
// a month: no fewer than meterCookieMaxIDs and meterCookieMaxLen, and
// enough for allowance IDs of any length.
func meterCookieCaps(allowance int) (ids, length int) {
	ids = max(meterCookieMaxIDs, allowance)
	return ids, max(meterCookieMaxLen, meterCookieFixedLen+ids*meterCookieIDLen)
}

var privateNoStoreValue = []string{"private, no-store"}

// privateNoStore marks a response with per-viewer content as not to be
// stored by any cache.
func privateNoStore(w http.ResponseWriter) { w.Header()["Cache-Control"] = privateNoStoreValue }

// meterKey is the key that signs the anonymous meter's cookie, fetched from
// the SecretService once, at first use (a failure is retried by the next
// request).
type meterKey struct {
	secrets masthead.SecretService
	key     atomic.Pointer[[]byte]
	mu      sync.Mutex
}

// init sets where the key comes from; without a SecretService a random key
// is made now, which only works while there is one instance.
func (k *meterKey) init(secrets masthead.SecretService) error {
	k.secrets = secrets
	if secrets == nil {
		b := make([]byte, 32)
		rand.Read(b)
		k.key.Store(&b)
	}
	return nil
}

// get returns the key.
func (k *meterKey) get(ctx context.Context) ([]byte, error) {
	if p := k.key.Load(); p != nil {
		return *p, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if p := k.key.Load(); p != nil {
		return *p, nil
	}
	b, err := k.secrets.Secret(ctx, meterSecretName)
	if err != nil {
		return nil, fmt.Errorf("web: meter cookie secret: %w", err)
	}
	if len(b) < 16 {
		return nil, errors.New("web: meter cookie secret is shorter than 16 bytes")
	}
	k.key.Store(&b)
	return b, nil
}

// signMeter returns the cookie value for the period and story IDs.
func signMeter(key []byte, start time.Time, ids []int64) string {
	var b strings.Builder
	b.WriteString("v1.")
	b.WriteString(strconv.FormatInt(start.Unix(), 10))
	b.WriteByte('.')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	payload := b.String()
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// parseMeter checks a cookie value and returns its period start and story
// IDs; ok is false when it is malformed, its signature is wrong, or it is
// longer than the caps of the allowance allow (meterCookieCaps).
func parseMeter(key []byte, value string, allowance int) (start time.Time, ids []int64, ok bool) {
	maxIDs, maxLen := meterCookieCaps(allowance)
	if len(value) > maxLen {
		return time.Time{}, nil, false
	}
	dot := strings.LastIndexByte(value, '.')
	if dot < 0 {
		return time.Time{}, nil, false
	}
	payload, sig := value[:dot], value[dot+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return time.Time{}, nil, false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(payload))
	if !hmac.Equal(got, mac.Sum(nil)) {
		return time.Time{}, nil, false
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 || parts[0] != "v1" {
		return time.Time{}, nil, false
	}
	unix, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return time.Time{}, nil, false
	}
	if parts[2] != "" {
		for f := range strings.SplitSeq(parts[2], "-") {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil || id <= 0 || len(ids) >= maxIDs {
				return time.Time{}, nil, false
			}
			ids = append(ids, id)
		}
	}
	return time.Unix(unix, 0), ids, true
}

// readState is what a viewer may do with one story: the read decision,
// and what the page needs to explain it.
type readState struct {
	decision masthead.ReadDecision
	// anonymous is true for a signed-out reader.
	anonymous bool
	// plan and sub are a signed-in reader's effective plan and
	// subscription (sub nil on the Free plan).
	plan *masthead.Plan
	sub  *masthead.Subscription
	// giftError explains why a ?gift= link did not work; "" if it did or
	// there was none.
	giftError string
}

// readable returns the state of a story every viewer may read.
func readable() *readState {
	return &readState{decision: masthead.DecideRead(masthead.AccessFree, masthead.Reader{})}
}

// anonymousAllowance returns how many metered stories an anonymous reader
// may read a month: Config.AnonymousMeter, 0 for NoAnonymousMeter.
func (s *Server) anonymousAllowance() int {
	return max(s.cfg.AnonymousMeter, 0)
}

// decideRead decides, with masthead.DecideRead, whether the request's
// viewer may read st, counting the read on their meter if it uses it: in
// the database for a signed-in reader, in the signed cookie (set on w when
// it changes) for an anonymous one. With plans off, and for free stories,
// everyone may read, at no cost. Only a GET counts: a HEAD request is
// decided the same way but records nothing (no meter read, no cookie, no
// gift-link open). A ?gift= link is looked up only when it could matter:
// not for a reader who may read st anyway, off the meter.
func (s *Server) decideRead(w http.ResponseWriter, r *http.Request, st *masthead.Story) (*readState, error) {
	return s.decideReadAs(w, r, st, r.Method != http.MethodHead)
}

// decideReadAs is decideRead, recording the read (meter, cookie, gift
// link) only if record: the comment routes decide without counting.
func (s *Server) decideReadAs(w http.ResponseWriter, r *http.Request, st *masthead.Story, record bool) (*readState, error) {
	if s.plans == nil || st.Access == masthead.AccessFree {
		return readable(), nil
	}
	ctx := r.Context()
	rs := &readState{}
	var reader masthead.Reader
	a, _ := s.viewer(r)
	if a != nil {
		plan, sub, err := s.subs.EffectivePlan(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		rs.plan, rs.sub = plan, sub
		reader.Entitlements = plan.Entitlements
		reader.Staff = a.Role.IsStaff()
	} else {
		rs.anonymous = true
		reader.Entitlements = masthead.Entitlements{MeteredPerMonth: s.anonymousAllowance()}
	}
	if token := r.URL.Query().Get("gift"); token != "" && s.gifts != nil {
		if d := masthead.DecideRead(st.Access, reader); !d.Allowed || d.Meter != nil {
			reader.Gift, rs.giftError = s.openGift(w, r, token, st, record)
		}
	}
	d := masthead.DecideRead(st.Access, reader)
	if d.Meter == nil { // not on a meter: free, included, gift, staff or premium
		rs.decision = d
		return rs, nil
	}
	limit := reader.Entitlements.MeteredPerMonth
	now := s.now()
	if a != nil {
		if s.meter == nil {
			rs.decision = masthead.ReadDecision{Allowed: true, Reason: masthead.ReadIncluded}
			return rs, nil
		}
		start, end := masthead.MeterPeriod(a.CreatedAt, now, s.cfg.TimeZone)
		if !record {
			m, err := s.meter.Meter(ctx, a.ID, start, end, limit)
			if err != nil {
				return nil, err
			}
			reader.Meter = masthead.MeterState{Used: m.Used, PeriodStart: start, PeriodEnd: end}
			d = masthead.DecideRead(st.Access, reader)
			d.Count = false
			rs.decision = d
			return rs, nil
		}
		m, allowed, err := s.meter.ReadMetered(ctx, a.ID, st.ID, start, end, limit)
		if err != nil {
			return nil, err
		}
		m.Limit = limit
		if m.PeriodStart.IsZero() {
			m.PeriodStart, m.PeriodEnd = start, end
		}
		rs.decision = masthead.ReadDecision{Allowed: allowed, Reason: masthead.ReadMetered, Meter: &m}
		if !allowed {
			rs.decision.Reason = masthead.DenyMeterSpent
		}
		return rs, nil
	}

	key, err := s.meterKey.get(ctx)
	if err != nil {
		return nil, err
	}
	start, end := masthead.CalendarMonth(now, s.cfg.TimeZone)
	var ids []int64
	valid := true
	if c, err := r.Cookie(MeterCookieName); err == nil && c.Value != "" {
		var cstart time.Time
		cstart, ids, valid = parseMeter(key, c.Value, limit)
		if valid && !cstart.Equal(start) {
			ids = nil // a past month's count: this month starts afresh
		}
	}
	reader.Meter = masthead.MeterState{Used: len(ids), PeriodStart: start, PeriodEnd: end}
	if !valid {
		reader.Meter.Used = max(limit, 0)
	}
	reader.AlreadyRead = valid && slices.Contains(ids, st.ID)
	d = masthead.DecideRead(st.Access, reader)
	if d.Count && record {
		ids = append(ids, st.ID)
		http.SetCookie(w, &http.Cookie{
			Name:     MeterCookieName,
			Value:    signMeter(key, start, ids),
			Path:     "/",
			Expires:  end,
			MaxAge:   max(1, int(end.Sub(now).Seconds())),
			HttpOnly: true,
			Secure:   s.secureCookies(r),
			SameSite: http.SameSiteLaxMode,
		})
	}
	d.Count = d.Count && record
	rs.decision = d
	return rs, nil
}

// The gift cookie remembers, for a short while, that this browser opened
// a working gift link to a story, so that reloading the page neither
// counts the open again nor looks the link up. Its name is
// giftCookiePrefix and the story ID; its value is
//
//	g1.<story ID>.<link expiry, Unix seconds>.<token hash>.<signature>
//
// where the token hash is the unpadded URL-safe base64 of SHA-256 of the
// token, and the signature is as the meter cookie's (same key), of
// everything before the last dot.
const (
	giftCookiePrefix   = "masthead_gift_"
	giftCookieLifetime = time.Hour
)

// giftTokenHash returns the token's hash as the gift cookie holds it.
func giftTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// signGift returns the gift cookie value for the story, link expiry and
// token.
func signGift(key []byte, storyID int64, expires time.Time, token string) string {
	payload := "g1." + strconv.FormatInt(storyID, 10) + "." + strconv.FormatInt(expires.Unix(), 10) + "." + giftTokenHash(token)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// giftCookieOK reports whether value is a gift cookie, signed with key,
// for token to the story, whose link still works at now.
func giftCookieOK(key []byte, value string, storyID int64, token string, now time.Time) bool {
	dot := strings.LastIndexByte(value, '.')
	if dot < 0 || len(value) > 256 {
		return false
	}
	payload, sig := value[:dot], value[dot+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(payload))
	if !hmac.Equal(got, mac.Sum(nil)) {
		return false
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 4 || parts[0] != "g1" || parts[1] != strconv.FormatInt(storyID, 10) {
		return false
	}
	unix, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || !now.Before(time.Unix(unix, 0)) {
		return false
	}
	return hmac.Equal([]byte(parts[3]), []byte(giftTokenHash(token)))
}

// openGift opens the gift link of token to st for the request: ok if it
// works, else the message that says why not. A browser that opened the
// link in the last giftCookieLifetime has it on its gift cookie: the link
// is neither looked up nor counted again. Unless record, a link not on
// the cookie is not opened at all (ok false, no message).
func (s *Server) openGift(w http.ResponseWriter, r *http.Request, token string, st *masthead.Story, record bool) (ok bool, msg string) {
	ctx := r.Context()
	now := s.now()
	name := giftCookiePrefix + strconv.FormatInt(st.ID, 10)
	key, err := s.meterKey.get(ctx)
	if err != nil {
		s.logger.LogAttrs(ctx, slog.LevelWarn, "gift cookie key",
			slog.String("request_id", RequestID(ctx)),
			slog.String("error", err.Error()))
		key = nil
	}
	if key != nil {
		if c, err := r.Cookie(name); err == nil && giftCookieOK(key, c.Value, st.ID, token, now) {
			return true, ""
		}
	}
	if !record {
		return false, ""
	}
	link, err := s.gifts.OpenGiftLink(ctx, token, st.ID)
	switch code := masthead.ErrorCode(err); {
	case err == nil:
		if key != nil && link.ExpiresAt.After(now) {
			until := now.Add(giftCookieLifetime)
			if link.ExpiresAt.Before(until) {
				until = link.ExpiresAt
			}
			http.SetCookie(w, &http.Cookie{
				Name:     name,
				Value:    signGift(key, st.ID, link.ExpiresAt, token),
				Path:     "/",
				Expires:  until,
				MaxAge:   max(1, int(until.Sub(now).Seconds())),
				HttpOnly: true,
				Secure:   s.secureCookies(r),
				SameSite: http.SameSiteLaxMode,
			})
		}
		return true, ""
	case code == masthead.ENOTFOUND || code == masthead.EFORBIDDEN || code == masthead.EINVALID:
		return false, masthead.ErrorMessage(err)
	default:
		// The story page still works without the gift link.
		s.logger.LogAttrs(ctx, slog.LevelWarn, "open gift link",
			slog.String("request_id", RequestID(ctx)),
			slog.String("error", err.Error()))
		return false, masthead.MsgIn(s.cfg.Locale, masthead.MsgInternalError)
	}
}

// accessView is what a story page shows about the viewer's access: the
// meter's counter, the offer of a gated story, the gift-link form.
type accessView struct {
	// Counter is "2 of 10 free stories left this month", when the reader
	// is on a meter.
	Counter string
	// GiftError says why a gift link did not work; GiftRead that the
	// story is open through one.
	GiftError string
	GiftRead  bool

	// Offer is true when the story is gated; OfferHeading and OfferText
	// say why and what to do.
	Offer        bool
	OfferHeading string
	OfferText    string
	// SignUpHref and SignInHref lead a signed-out reader to an account and
	// back to the story; Plans offers the plans page.
	SignUpHref string
	SignInHref string
	Plans      bool

	// GiftAction is where the gift-link form posts, "" for no form.
	GiftAction string
	GiftHint   string
}

// accessView describes rs for the story page of st.
func (s *Server) accessView(st *masthead.Story, rs *readState) *accessView {
	v := &accessView{GiftError: rs.giftError, GiftRead: rs.decision.Reason == masthead.ReadGift}
	d := rs.decision
	if m := d.Meter; m != nil && m.Limit != masthead.Unlimited && m.Limit > 0 {
		v.Counter = s.msg("meter.counter", m.Remaining(), m.Limit)
	}
	back := "/stories/" + st.Slug
	if !d.Allowed {
		v.Offer = true
		v.Plans = true
		switch {
		case d.Reason == masthead.DenyPremium:
			v.OfferHeading = s.msg("paywall.premium_heading")
			v.OfferText = s.msg("paywall.premium")
		case d.Meter != nil && d.Meter.Limit == 0: // no free stories at all
			v.OfferHeading = s.msg("paywall.none_heading")
			v.OfferText = s.msg("paywall.none")
			if rs.anonymous {
				v.OfferText = s.msg("paywall.none_anonymous")
			}
		case rs.anonymous:
			v.OfferHeading = s.msg("paywall.spent_heading")
			v.OfferText = s.msg("paywall.spent_anonymous", d.Meter.Limit)
		default:
			v.OfferHeading = s.msg("paywall.spent_heading")
			v.OfferText = s.msg("paywall.spent", d.Meter.Limit, s.formatDate(d.Meter.PeriodEnd))
		}
		if rs.anonymous && s.accounts != nil {
			v.SignUpHref = withNext("/signup", back)
			v.SignInHref = withNext("/signin", back)
		}
		return v
	}
	if s.gifts != nil && rs.plan != nil && rs.plan.Entitlements.GiftLinksPerMonth > 0 {
		v.GiftAction = back + "/gift"
		v.GiftHint = s.msg("gift.form_hint", durationText(s.cfg.GiftLinkLifetime, s))
	}
	return v
}

// storyMain assembles a gated story's article for one viewer: the cached
// parts of sf around the viewer's counter, and either the body or the
// teaser and the offer.
func (s *Server) storyMain(sf *storyFragment, p *page) (template.HTML, error) {
	access, err := s.fragment("story", "story-access", p)
	if err != nil {
		return "", err
	}
	after, err := s.fragment("story", "story-after", p)
	if err != nil {
		return "", err
	}
	body := sf.body
	if p.Access.Offer {
		body = sf.teaser
	}
	var b strings.Builder
	b.Grow(len(sf.top) + len(access) + len(body) + len(after) + len(sf.bottom))
	b.WriteString(string(sf.top))
	b.WriteString(string(access))
	b.WriteString(string(body))
	b.WriteString(string(after))
	b.WriteString(string(sf.bottom))
	return template.HTML(b.String()), nil
}

// teaserParagraphs is how many paragraphs of a gated story its teaser
// shows.
const teaserParagraphs = 2

// teaserHTML returns the start of a story's sanitised body HTML that a
// reader who may not read it sees: everything up to the end of the n-th
// top-level paragraph. It never returns the whole body: with fewer
// paragraphs after the cut, it cuts earlier, down to nothing.
func teaserHTML(body string, n int) string {
	var ends []int // where each top-level </p> ends
	depth := 0
	for i := 0; i < len(body); {
		j := strings.IndexByte(body[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if strings.HasPrefix(body[i:], "<!--") {
			k := strings.Index(body[i:], "-->")
			if k < 0 {
				break
			}
			i += k + 3
			continue
		}
		k := strings.IndexByte(body[i:], '>')
		if k < 0 {
			break
		}
		tag := body[i+1 : i+k]
		i += k + 1
		closing := strings.HasPrefix(tag, "/")
		name := strings.TrimPrefix(tag, "/")
		if e := strings.IndexAny(name, " \t\n\r/"); e >= 0 {
			name = name[:e]
		}
		name = strings.ToLower(name)
		switch {
		case closing:
			depth = max(depth-1, 0)
			if depth == 0 && name == "p" {
				ends = append(ends, i)
			}
		case strings.HasSuffix(tag, "/") || voidElements[name] || strings.HasPrefix(tag, "!"):
		default:
			depth++
		}
	}
	for m := min(n, len(ends)); m > 0; m-- {
		if cut := ends[m-1]; strings.TrimSpace(body[cut:]) != "" {
			return body[:cut]
		}
	}
	return ""
}

// voidElements are the HTML elements without an end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}
