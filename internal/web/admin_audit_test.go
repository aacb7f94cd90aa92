package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

// fakeAuditLog is a masthead.AuditService that records the filter it was
// asked for and returns entries.
type fakeAuditLog struct {
	entries []*masthead.AuditEntry
	got     []masthead.AuditFilter
}

func (f *fakeAuditLog) FindAuditEntries(ctx context.Context, flt masthead.AuditFilter) ([]*masthead.AuditEntry, error) {
	f.got = append(f.got, flt)
	var out []*masthead.AuditEntry
	for _, e := range f.entries {
		if flt.Before == 0 || e.ID < flt.Before {
			out = append(out, e)
		}
	}
	if flt.Limit > 0 && len(out) > flt.Limit {
		out = out[:flt.Limit]
	}
	return out, nil
}

func TestAdminAudit(t *testing.T) {
	log := &fakeAuditLog{}
	for i := range 4 {
		log.entries = append(log.entries, &masthead.AuditEntry{
			ID: int64(40 - i), ActorID: 103, ActorName: "admin@example.com", Action: masthead.AuditAccountBan,
			TargetType: "account", TargetID: "41", Before: `{"banned":false}`, After: `{"banned":true}`,
			Reason: `<b>spam</b>`, IP: "192.0.2.7", At: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		})
	}
	log.entries[3].ActorID, log.entries[3].ActorName = 0, ""
	staff := &mock.StaffService{AccountIDByEmailFn: func(ctx context.Context, actor masthead.Actor, email string) (int64, error) {
		if email == "admin@example.com" {
			return 103, nil
		}
		return 0, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgStaffAccountNotFound))
	}}
	paris, _ := time.LoadLocation("Europe/Paris")
	h := twoFactorStaffServer(t, staffAccounts(), Config{Audit: log, Staff: staff, AuditPageSize: 3, TimeZone: paris})

	for _, role := range []string{"", "subscriber", "moderator", "editor"} {
		t.Run("refused to "+role, func(t *testing.T) {
			res, _ := do(t, h, staffRequest(role, "GET", "/admin/audit", nil))
			want := http.StatusForbidden
			if role == "" {
				want = http.StatusSeeOther
			}
			if res.StatusCode != want {
				t.Errorf("status: got %d, want %d", res.StatusCode, want)
			}
		})
	}
	for _, method := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		t.Run("no "+method, func(t *testing.T) {
			res, _ := do(t, h, staffRequest("admin", method, "/admin/audit", url.Values{}))
			if res.StatusCode != http.StatusMethodNotAllowed && res.StatusCode != http.StatusNotFound {
				t.Errorf("%s /admin/audit: got %d, want 405 or 404", method, res.StatusCode)
			}
		})
	}

	tests := []struct {
		name        string
		query       string
		wantStatus  int
		wantFilter  masthead.AuditFilter
		wantContain []string
	}{
		{"everything", "", 200, masthead.AuditFilter{Limit: 4}, []string{
			"admin@example.com", "account.ban", "account 41", `{&#34;banned&#34;:false}`, "→", "&lt;b&gt;spam&lt;/b&gt;", "192.0.2.7",
			"1 March 2026", "13:00", `datetime="2026-03-01T12:00:00Z"`,
			`href="/admin/audit?before=38"`, "Older entries"}},
		{"actor by id", "?actor=103", 200, masthead.AuditFilter{ActorID: 103, Limit: 4}, []string{`value="103"`}},
		{"actor by email", "?actor=admin@example.com&action=account.ban", 200,
			masthead.AuditFilter{ActorID: 103, Action: masthead.AuditAccountBan, Limit: 4},
			[]string{`<option value="account.ban" selected>`, "actor=admin%40example.com", "action=account.ban", "Show everything"}},
		{"target", "?target_type=account&target_id=41&before=39", 200,
			masthead.AuditFilter{TargetType: "account", TargetID: "41", Before: 39, Limit: 4}, nil},
		{"unknown action is ignored", "?action=drop.table", 200, masthead.AuditFilter{Limit: 4}, nil},
		{"unknown actor", "?actor=nobody@example.com", 400, masthead.AuditFilter{}, []string{masthead.Msg("audit.actor_unknown"), `value="nobody@example.com"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log.got = nil
			res, body := do(t, h, staffRequest("admin", "GET", "/admin/audit"+tt.query, nil))
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == 200 {
				if len(log.got) != 1 || log.got[0] != tt.wantFilter {
					t.Errorf("filter: got %+v, want %+v", log.got, tt.wantFilter)
				}
			} else if len(log.got) != 0 {
				t.Errorf("refused filter still read the log: %+v", log.got)
			}
			for _, want := range tt.wantContain {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
		})
	}
	t.Run("system entries", func(t *testing.T) {
		log.got = nil
		_, body := do(t, h, staffRequest("admin", "GET", "/admin/audit?before=38", nil))
		if !strings.Contains(body, masthead.Msg("audit.system")) {
			t.Errorf("body lacks the system actor")
		}
	})
}
