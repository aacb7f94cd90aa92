package masthead

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// EmailDisplayNameReset tells a subscriber that a moderator removed their
// display name, and why (Data "reason", and "old_name", the removed name).
// The other moderation kinds are in outbox.go.
const EmailDisplayNameReset EmailKind = "display_name_reset"

// UserSettings are the limits of the user actions; every one is a site
// setting, and DefaultUserSettings holds the defaults.
type UserSettings struct {
	// MaxReasonLen is the most characters a reason may have (500).
	MaxReasonLen int
	// MaxSuspendDays is the longest suspension, in days (365).
	MaxSuspendDays int
	// DefaultSuspendDays is the suspension the form proposes (7).
	DefaultSuspendDays int
	// HistoryActions is how many earlier staff actions an account's
	// history shows (100).
	HistoryActions int
}

// DefaultUserSettings returns the defaults of the user actions' limits.
func DefaultUserSettings() UserSettings {
	return UserSettings{MaxReasonLen: 500, MaxSuspendDays: 365, DefaultSuspendDays: 7, HistoryActions: 100}
}

// WithDefaults returns s with its zero (or negative) fields set to the
// defaults.
func (s UserSettings) WithDefaults() UserSettings {
	d := DefaultUserSettings()
	if s.MaxReasonLen <= 0 {
		s.MaxReasonLen = d.MaxReasonLen
	}
	if s.MaxSuspendDays <= 0 {
		s.MaxSuspendDays = d.MaxSuspendDays
	}
	if s.DefaultSuspendDays <= 0 || s.DefaultSuspendDays > s.MaxSuspendDays {
		s.DefaultSuspendDays = min(d.DefaultSuspendDays, s.MaxSuspendDays)
	}
	if s.HistoryActions <= 0 {
		s.HistoryActions = d.HistoryActions
	}
	return s
}

// MayActOn reports, as an EFORBIDDEN error, whether the actor may take a
// user action on an account of role target with the ID targetID; nil when
// they may. The rules: the actor needs PermUsers; nobody acts on their own
// account; a moderator acts on subscribers only; an administrator acts on
// subscribers, moderators and editors, but never on another
// administrator (a dispute between administrators is not settled with a
// ban).
func MayActOn(actor Actor, targetID int64, target Role) error {
	if err := actor.Require(PermUsers); err != nil {
		return err
	}
	switch {
	case actor.ID == targetID:
		return Errorf(EFORBIDDEN, "%s", Msg(MsgUserActSelf))
	case target == RoleAdmin:
		return Errorf(EFORBIDDEN, "%s", Msg(MsgUserActAdmin))
	case target.IsStaff() && actor.Role != RoleAdmin:
		return Errorf(EFORBIDDEN, "%s", Msg(MsgUserActStaff))
	}
	return nil
}

// CheckUserAction validates a user action's input under s and returns it
// normalised: a known action, a reason that is present, plain text (line
// breaks as "\n", no other control or bidirectional-override characters)
// and at most s.MaxReasonLen characters, and for a suspension a length of
// 1 to s.MaxSuspendDays days. The errors are EINVALID about the fields
// "action", "reason" and "days".
func CheckUserAction(in UserActionInput, s UserSettings) (UserActionInput, error) {
	s = s.WithDefaults()
	if !in.Action.Valid() {
		return in, FieldError("action", Msg(MsgUserActionUnknown))
	}
	reason := strings.TrimSpace(strings.ReplaceAll(in.Reason, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(reason):
		return in, FieldError("reason", Msg(MsgUserReasonInvalid))
	case reason == "":
		return in, FieldError("reason", Msg(MsgUserReasonRequired))
	case utf8.RuneCountInString(reason) > s.MaxReasonLen:
		return in, FieldError("reason", Msg(MsgUserReasonTooLong, s.MaxReasonLen))
	case strings.ContainsFunc(reason, badReasonRune):
		return in, FieldError("reason", Msg(MsgUserReasonInvalid))
	}
	in.Reason = reason
	if in.Action == UserSuspend {
		if in.Days < 1 || in.Days > s.MaxSuspendDays {
			return in, FieldError("days", Msg(MsgUserDaysInvalid, s.MaxSuspendDays))
		}
	} else {
		in.Days = 0
	}
	return in, nil
}

// badReasonRune reports whether r may not appear in a reason: control
// characters other than line breaks and tabs, bidirectional controls and
// invisible characters.
func badReasonRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case unicode.IsControl(r):
		return true
	case r == 0x061C, r == 0x200E, r == 0x200F, 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069:
		return true
	case r == 0x200B, r == 0x2060, r == 0xFEFF:
		return true
	}
	return false
}

// SuspensionEnd returns when a suspension of days starting at now ends.
func SuspensionEnd(now time.Time, days int) time.Time {
	return now.Add(time.Duration(days) * 24 * time.Hour)
}
