package masthead_test

import (
	"strings"
	"testing"

	"masthead"
)

func TestMayActOn(t *testing.T) {
	mod := masthead.Actor{ID: 1, Role: masthead.RoleModerator}
	admin := masthead.Actor{ID: 2, Role: masthead.RoleAdmin}
	editor := masthead.Actor{ID: 3, Role: masthead.RoleEditor}
	tests := []struct {
		name   string
		actor  masthead.Actor
		id     int64
		target masthead.Role
		want   string // error code, "" for allowed
	}{
		{"moderator on a subscriber", mod, 9, masthead.RoleSubscriber, ""},
		{"admin on a subscriber", admin, 9, masthead.RoleSubscriber, ""},
		{"admin on a moderator", admin, 9, masthead.RoleModerator, ""},
		{"admin on an editor", admin, 9, masthead.RoleEditor, ""},
		{"admin on another admin", admin, 9, masthead.RoleAdmin, masthead.EFORBIDDEN},
		{"moderator on a moderator", mod, 9, masthead.RoleModerator, masthead.EFORBIDDEN},
		{"moderator on an editor", mod, 9, masthead.RoleEditor, masthead.EFORBIDDEN},
		{"moderator on an admin", mod, 9, masthead.RoleAdmin, masthead.EFORBIDDEN},
		{"moderator on themselves", mod, 1, masthead.RoleModerator, masthead.EFORBIDDEN},
		{"editor on a subscriber", editor, 9, masthead.RoleSubscriber, masthead.EFORBIDDEN},
		{"subscriber on a subscriber", masthead.Actor{ID: 4, Role: masthead.RoleSubscriber}, 9, masthead.RoleSubscriber, masthead.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := masthead.ErrorCode(masthead.MayActOn(tt.actor, tt.id, tt.target)); got != tt.want {
				t.Errorf("MayActOn: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckUserAction(t *testing.T) {
	s := masthead.UserSettings{MaxReasonLen: 20, MaxSuspendDays: 30}
	tests := []struct {
		name      string
		in        masthead.UserActionInput
		wantField string // "" for valid
		wantIn    masthead.UserActionInput
	}{
		{"warn", masthead.UserActionInput{Action: masthead.UserWarn, Reason: "  Be kind. \r\nThanks ", Days: 3},
			"", masthead.UserActionInput{Action: masthead.UserWarn, Reason: "Be kind. \nThanks"}},
		{"suspend", masthead.UserActionInput{Action: masthead.UserSuspend, Reason: "Insults", Days: 30},
			"", masthead.UserActionInput{Action: masthead.UserSuspend, Reason: "Insults", Days: 30}},
		{"unknown action", masthead.UserActionInput{Action: "delete", Reason: "x"}, "action", masthead.UserActionInput{}},
		{"no reason", masthead.UserActionInput{Action: masthead.UserBan, Reason: " \n "}, "reason", masthead.UserActionInput{}},
		{"long reason", masthead.UserActionInput{Action: masthead.UserBan, Reason: strings.Repeat("é", 21)}, "reason", masthead.UserActionInput{}},
		{"reason at the limit", masthead.UserActionInput{Action: masthead.UserBan, Reason: strings.Repeat("é", 20)},
			"", masthead.UserActionInput{Action: masthead.UserBan, Reason: strings.Repeat("é", 20)}},
		{"bidi override", masthead.UserActionInput{Action: masthead.UserWarn, Reason: "abc\u202Edef"}, "reason", masthead.UserActionInput{}},
		{"control character", masthead.UserActionInput{Action: masthead.UserWarn, Reason: "abc\x00def"}, "reason", masthead.UserActionInput{}},
		{"invalid UTF-8", masthead.UserActionInput{Action: masthead.UserWarn, Reason: "abc\xffdef"}, "reason", masthead.UserActionInput{}},
		{"no days", masthead.UserActionInput{Action: masthead.UserSuspend, Reason: "x"}, "days", masthead.UserActionInput{}},
		{"too many days", masthead.UserActionInput{Action: masthead.UserSuspend, Reason: "x", Days: 31}, "days", masthead.UserActionInput{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := masthead.CheckUserAction(tt.in, s)
			if tt.wantField != "" {
				if masthead.ErrorCode(err) != masthead.EINVALID || masthead.ErrorField(err) != tt.wantField {
					t.Fatalf("CheckUserAction: got %v (field %q), want EINVALID about %q", err, masthead.ErrorField(err), tt.wantField)
				}
				return
			}
			if err != nil {
				t.Fatalf("CheckUserAction: %v", err)
			}
			if got != tt.wantIn {
				t.Errorf("CheckUserAction: got %+v, want %+v", got, tt.wantIn)
			}
		})
	}
}

func TestUserSettingsDefaults(t *testing.T) {
	got := masthead.UserSettings{MaxSuspendDays: 5}.WithDefaults()
	if got.MaxReasonLen != 500 || got.MaxSuspendDays != 5 || got.DefaultSuspendDays != 5 || got.HistoryActions != 100 {
		t.Errorf("WithDefaults: got %+v", got)
	}
	if got, want := masthead.DefaultUserSettings().DefaultSuspendDays, 7; got != want {
		t.Errorf("default suspension: got %d days, want %d", got, want)
	}
}
