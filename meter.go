package masthead

import (
	"context"
	"time"
)

// MeterState is how much of a reader's meter is used in the current
// period.
type MeterState struct {
	Used  int
	Limit int // Unlimited for plans without a meter
	// PeriodStart and PeriodEnd bound the current meter period.
	PeriodStart time.Time
	PeriodEnd   time.Time
}

// Remaining returns how many metered stories are left in the period, or
// Unlimited.
func (m MeterState) Remaining() int {
	if m.Limit == Unlimited {
		return Unlimited
	}
	return max(0, m.Limit-m.Used)
}

// MeterPeriod returns the monthly meter period containing now for a reader
// whose meter resets on anchor's day of the month, at midnight in loc. A
// reader who registered on the 31st resets on the last day of shorter
// months (the 30th, or 28th or 29th of February), and on the 31st again
// when a month has one.
func MeterPeriod(anchor, now time.Time, loc *time.Location) (start, end time.Time) {
	return monthPeriod(anchor.In(loc).Day(), now, loc)
}

// monthPeriod returns the period [start, end) containing now that begins
// at the start of the day'th (or the month's last day) of one month in loc
// and ends where the next month's begins. Periods are contiguous and
// always contain now, even in zones where a reset day's midnight falls in
// a daylight-saving gap.
func monthPeriod(day int, now time.Time, loc *time.Location) (start, end time.Time) {
	n := now.In(loc)
	y, m := n.Year(), n.Month()
	for now.Before(resetDay(y, m, day, loc)) {
		m--
	}
	for !now.Before(resetDay(y, m+1, day, loc)) {
		m++
	}
	return resetDay(y, m, day, loc), resetDay(y, m+1, day, loc)
}

// resetDay returns the start of the day'th of the month in loc (its
// midnight, or the end of a daylight-saving gap that skips midnight), or
// of the month's last day when it is shorter. Month values out of range
// roll into neighbouring years, as with time.Date.
func resetDay(year int, month time.Month, day int, loc *time.Location) time.Time {
	// Month arithmetic in UTC at noon: a local midnight may not exist.
	first := time.Date(year, month, 1, 12, 0, 0, 0, time.UTC)
	y, m := first.Year(), first.Month()
	d := min(day, first.AddDate(0, 1, -1).Day())
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if ty, tm, td := t.In(loc).Date(); ty != y || tm != m || td != d {
		// Midnight falls in a gap and time.Date went back to the day
		// before: the day starts when the gap ends.
		if _, gapEnd := t.ZoneBounds(); !gapEnd.IsZero() {
			t = gapEnd
		}
	}
	return t
}

// CalendarMonth returns the calendar month containing now in loc: the
// meter period of anonymous readers.
func CalendarMonth(now time.Time, loc *time.Location) (start, end time.Time) {
	return monthPeriod(1, now, loc)
}

// ReadReason says why a reader may, or may not, read a story.
type ReadReason string

// Reasons of a read decision.
const (
	ReadFreeStory  ReadReason = "free"        // the story is free to read
	ReadIncluded   ReadReason = "included"    // the reader's plan includes it
	ReadMetered    ReadReason = "metered"     // on the meter (counted now or earlier this period)
	ReadGift       ReadReason = "gift"        // through a gift link
	ReadStaff      ReadReason = "staff"       // staff read everything
	DenyMeterSpent ReadReason = "meter_spent" // the meter is used up
	DenyPremium    ReadReason = "premium"     // a premium story, and the plan lacks read_premium
)

// ReadDecision is whether a reader may read a story now.
type ReadDecision struct {
	Allowed bool
	Reason  ReadReason
	// Count is true when this read must be added to the meter.
	Count bool
	// Meter is the meter as it stands after this read; set for metered
	// stories.
	Meter *MeterState
}

// Reader is who is reading, as far as access is concerned.
type Reader struct {
	// Entitlements of the reader's effective plan; for anonymous readers,
	// the anonymous meter.
	Entitlements Entitlements
	Staff        bool
	// Gift is true when the reader holds a valid gift link to the story.
	Gift bool
	// Meter is the reader's meter before this read.
	Meter MeterState
	// AlreadyRead is true when the reader has read this metered story in
	// the current period: re-reading is free.
	AlreadyRead bool
}

// DecideRead decides whether r may read a story with the given access. It
// is the one rule for story access: pages, the API and the commenting gate
// all use it.
func DecideRead(access Access, r Reader) ReadDecision {
	switch {
	case access == AccessFree:
		return ReadDecision{Allowed: true, Reason: ReadFreeStory}
	case r.Staff:
		return ReadDecision{Allowed: true, Reason: ReadStaff}
	case r.Gift:
		return ReadDecision{Allowed: true, Reason: ReadGift}
	case access == AccessPremium:
		if r.Entitlements.ReadPremium {
			return ReadDecision{Allowed: true, Reason: ReadIncluded}
		}
		return ReadDecision{Reason: DenyPremium}
	}
	// Metered.
	m := r.Meter
	m.Limit = r.Entitlements.MeteredPerMonth
	if m.Limit == Unlimited {
		return ReadDecision{Allowed: true, Reason: ReadIncluded}
	}
	switch {
	case r.AlreadyRead:
		return ReadDecision{Allowed: true, Reason: ReadMetered, Meter: &m}
	case m.Used < m.Limit:
		m.Used++
		return ReadDecision{Allowed: true, Reason: ReadMetered, Count: true, Meter: &m}
	}
	return ReadDecision{Reason: DenyMeterSpent, Meter: &m}
}

// MeterService keeps registered readers' meters.
type MeterService interface {
	// ReadMetered records, in one transaction, that the account read a
	// metered story in the period [start, end), unless it already has
	// (re-reading is free) or the meter is spent. It returns the meter
	// after the read and whether the read is allowed.
	ReadMetered(ctx context.Context, accountID, storyID int64, start, end time.Time, limit int) (MeterState, bool, error)
	// Meter returns the account's meter in the period without reading.
	Meter(ctx context.Context, accountID int64, start, end time.Time, limit int) (MeterState, error)
}

// DefaultGiftLinkLifetime is how long a gift link works by default.
const DefaultGiftLinkLifetime = 14 * 24 * time.Hour

// GiftLink lets anyone who holds it read one story, without a meter, until
// it expires.
type GiftLink struct {
	ID int64
	// Token is the secret part of the link; set only when the link is
	// created (only its hash is stored).
	Token     string
	Story     *Story // slug and headline
	GiverID   int64
	CreatedAt time.Time
	ExpiresAt time.Time
	// Opens counts how often the link was opened.
	Opens int
}

// GiftService keeps gift links.
type GiftService interface {
	// CreateGiftLink creates a link to the visible story for the account,
	// if it has created fewer than limit links in [start, end)
	// (EFORBIDDEN otherwise), valid for lifetime.
	CreateGiftLink(ctx context.Context, accountID int64, storySlug string, limit int, start, end time.Time, lifetime time.Duration) (*GiftLink, error)
	// OpenGiftLink returns the link of token for the story, counting the
	// open; ENOTFOUND for an unknown token or another story, EFORBIDDEN
	// once expired.
	OpenGiftLink(ctx context.Context, token string, storyID int64) (*GiftLink, error)
	// GiftLinks returns the account's links, newest first.
	GiftLinks(ctx context.Context, accountID int64) ([]*GiftLink, error)
	// CountGiftLinks returns how many links the account created in
	// [start, end).
	CountGiftLinks(ctx context.Context, accountID int64, start, end time.Time) (int, error)
}

// SecretService keeps the site's secrets (for signing cookies), made once
// and shared by every instance.
type SecretService interface {
	// Secret returns the secret called name, creating a random 32-byte one
	// the first time.
	Secret(ctx context.Context, name string) ([]byte, error)
}
