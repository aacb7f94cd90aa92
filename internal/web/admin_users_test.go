package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead"
	"masthead/internal/mock"
)

// usersFixture is a server with staff accounts of every role, a subscriber
// (ID 7) to act on, and a fake user service that records the actions and
// holds one warning for the subscriber signed in by "tok-subscriber".
type usersFixture struct {
	h http.Handler

	mu      sync.Mutex
	acted   []masthead.UserActionInput
	actors  []masthead.Actor
	acked   []int64
	pending bool
	// pendingCalls counts the PendingWarning calls.
	pendingCalls int
}

func newUsersFixture(t *testing.T) *usersFixture {
	t.Helper()
	f := &usersFixture{pending: true}
	accounts := staffAccounts()
	target := testAccount()
	byID := map[int64]*masthead.Account{target.ID: target}
	for _, a := range accounts {
		byID[a.ID] = a
	}
	acctSvc := fakeAccounts(target)
	subscriberID := accounts["tok-subscriber"].ID
	acctSvc.AuthenticateFn = func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
		if a, ok := accounts[token]; ok {
			// As the account service does, the account comes with
			// whether a warning waits for it.
			acc := *a
			f.mu.Lock()
			acc.HasPendingWarning = acc.ID == subscriberID && f.pending
			f.mu.Unlock()
			return &acc, &masthead.Session{ID: 1, AccountID: a.ID}, nil
		}
		return nil, nil, masthead.Errorf(masthead.EUNAUTHORIZED, "%s", masthead.Msg(masthead.MsgSessionInvalid))
	}
	users := &mock.UserService{
		AuthorHistoryFn: func(ctx context.Context, id int64) (*masthead.AuthorHistory, error) {
			a, ok := byID[id]
			if !ok {
				return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgAccountNotFound))
			}
			h := &masthead.AuthorHistory{Account: a}
			if id == target.ID {
				h.Names = []masthead.NameChange{
					{Name: "Old Name", ChosenAt: testNow.Add(-70 * time.Hour), ReplacedAt: testNow.Add(-60 * time.Hour)},
					{Name: "Reader One", ChosenAt: testNow.Add(-60 * time.Hour)},
				}
				h.Published, h.Pending, h.Rejected = 1234, 2, 3
				h.Sanction = &masthead.Sanction{Until: testNow.Add(48 * time.Hour), Reason: "Rude replies"}
				h.Warnings = []masthead.Warning{{ID: 1, Reason: "<script>alert(1)</script> stop it", CreatedAt: testNow.Add(-time.Hour)}}
				h.Actions = []masthead.StaffActionRecord{
					{Action: masthead.AuditAccountSuspend, Reason: "Rude replies", By: "moderator@example.com", At: testNow.Add(-30 * time.Minute)},
					{Action: masthead.AuditAccountWarn, Reason: "stop it", By: "moderator@example.com", At: testNow.Add(-time.Hour)},
				}
			}
			return h, nil
		},
		ActOnUserFn: func(ctx context.Context, actor masthead.Actor, in masthead.UserActionInput) error {
			a, ok := byID[in.AccountID]
			if !ok {
				return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgAccountNotFound))
			}
			if err := masthead.MayActOn(actor, a.ID, a.Role); err != nil {
				return err
			}
			in, err := masthead.CheckUserAction(in, masthead.UserSettings{})
			if err != nil {
				return err
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			f.acted, f.actors = append(f.acted, in), append(f.actors, actor)
			return nil
		},
		FindUsersFn: func(ctx context.Context, q string, limit int) ([]*masthead.Account, error) {
			if strings.Contains(target.Email, q) {
				return []*masthead.Account{target}, nil
			}
			return nil, nil
		},
		PendingWarningFn: func(ctx context.Context, id int64) (*masthead.Warning, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.pendingCalls++
			if id == subscriberID && f.pending {
				return &masthead.Warning{ID: 55, Reason: "Please <b>stop</b> the insults.", CreatedAt: testNow.Add(-time.Hour)}, nil
			}
			return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgUserNoWarning))
		},
		AcknowledgeWarningFn: func(ctx context.Context, accountID, warningID int64) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			if accountID != subscriberID || warningID != 55 {
				return masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgUserNoWarning))
			}
			f.acked = append(f.acked, warningID)
			f.pending = false
			return nil
		},
	}
	f.h = newAccountServer(t, acctSvc, Config{Users: users})
	return f
}

func (f *usersFixture) do(t *testing.T, role, method, target string, form url.Values) (*http.Response, string) {
	t.Helper()
	var req *http.Request
	if method == http.MethodPost {
		req = postForm(target, form)
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	if role != "" {
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-" + role})
	}
	return do(t, f.h, req)
}

func TestAdminUsersAuthorization(t *testing.T) {
	type want struct{ anon, subscriber, moderator, editor, admin int }
	reason := url.Values{"reason": {"Spam."}, "days": {"3"}}
	tests := []struct {
		method string
		target string
		want   want
	}{
		{"GET", "/admin/users", want{303, 403, 200, 403, 200}},
		{"GET", "/admin/users?q=reader", want{303, 403, 200, 403, 200}},
		{"GET", "/admin/users/7", want{303, 403, 200, 403, 200}},
		{"POST", "/admin/users/7/warn", want{303, 403, 303, 403, 303}},
		{"POST", "/admin/users/7/suspend", want{303, 403, 303, 403, 303}},
		{"POST", "/admin/users/7/ban", want{303, 403, 303, 403, 303}},
		{"POST", "/admin/users/7/lift", want{303, 403, 303, 403, 303}},
		{"POST", "/admin/users/7/reset-display-name", want{303, 403, 303, 403, 303}},
		// Staff accounts: moderators act on subscribers only; nobody on an
		// administrator; an administrator on the other staff roles.
		{"POST", "/admin/users/102/warn", want{303, 403, 403, 403, 303}},
		{"POST", "/admin/users/103/warn", want{303, 403, 403, 403, 403}},
		{"POST", "/admin/users/999/warn", want{303, 403, 404, 403, 404}},
		{"POST", "/admin/users/x/warn", want{303, 403, 404, 403, 404}},
		{"GET", "/admin/users/999", want{303, 403, 404, 403, 404}},
	}
	for _, tt := range tests {
		for role, code := range map[string]int{"": tt.want.anon, "subscriber": tt.want.subscriber,
			"moderator": tt.want.moderator, "editor": tt.want.editor, "admin": tt.want.admin} {
			t.Run(tt.method+" "+tt.target+" as "+role, func(t *testing.T) {
				f := newUsersFixture(t)
				f.pending = false
				res, _ := f.do(t, role, tt.method, tt.target, reason)
				if res.StatusCode != code {
					t.Errorf("status: got %d, want %d", res.StatusCode, code)
				}
				if role == "" && !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
					t.Errorf("signed out: Location %q, want the sign-in page", res.Header.Get("Location"))
				}
			})
		}
	}
}

func TestAdminUserPage(t *testing.T) {
	f := newUsersFixture(t)
	res, body := f.do(t, "moderator", "GET", "/admin/users/7", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status: got %d, want 200", res.StatusCode)
	}
	checkBody(t, body, []string{
		"reader@example.com", "Old Name", "Reader One", "1,234 published, 2 awaiting review, 3 rejected",
		"Suspended until 3 March 2026, 12:00 UTC: “Rude replies”",
		"&lt;script&gt;alert(1)&lt;/script&gt; stop it", "Not yet",
		"Suspended", "Warned", "moderator@example.com",
		`action="/admin/users/7/warn"`, `action="/admin/users/7/suspend"`, `action="/admin/users/7/ban"`,
		`action="/admin/users/7/lift"`, `action="/admin/users/7/reset-display-name"`,
		`<label for="suspend-days">Days</label>`, `name="days" type="number"`, `value="7"`,
		`<label for="warn-reason">Reason (the subscriber sees it)</label>`, `maxlength="500"`,
	}, []string{"<script>alert(1)"})

	// The moderator may not act on an administrator: the page says so and
	// offers no form.
	_, body = f.do(t, "moderator", "GET", "/admin/users/103", nil)
	checkBody(t, body, []string{html.EscapeString(masthead.Msg(masthead.MsgUserActAdmin))}, []string{`name="reason"`})

	// The staff home links here.
	_, body = f.do(t, "moderator", "GET", "/admin", nil)
	checkBody(t, body, []string{`href="/admin/users"`}, nil)
}

func TestAdminUserActions(t *testing.T) {
	tests := []struct {
		name       string
		path       string
		form       url.Values
		wantStatus int
		wantInput  masthead.UserActionInput
		wantBody   []string
	}{
		{"warn", "warn", url.Values{"reason": {"Keep it civil."}}, 303,
			masthead.UserActionInput{AccountID: 7, Action: masthead.UserWarn, Reason: "Keep it civil."}, nil},
		{"suspend", "suspend", url.Values{"reason": {"Insults."}, "days": {" 14 "}}, 303,
			masthead.UserActionInput{AccountID: 7, Action: masthead.UserSuspend, Reason: "Insults.", Days: 14}, nil},
		{"ban", "ban", url.Values{"reason": {"Spam."}}, 303,
			masthead.UserActionInput{AccountID: 7, Action: masthead.UserBan, Reason: "Spam."}, nil},
		{"lift", "lift", url.Values{"reason": {"Appeal."}}, 303,
			masthead.UserActionInput{AccountID: 7, Action: masthead.UserLift, Reason: "Appeal."}, nil},
		{"reset", "reset-display-name", url.Values{"reason": {"Impersonation."}}, 303,
			masthead.UserActionInput{AccountID: 7, Action: masthead.UserResetName, Reason: "Impersonation."}, nil},
		{"no reason", "ban", url.Values{"reason": {"  "}}, 400, masthead.UserActionInput{},
			[]string{masthead.Msg(masthead.MsgUserReasonRequired), `id="ban-reason-error"`, `aria-invalid="true"`, "Error: "}},
		{"days not a number", "suspend", url.Values{"reason": {"<i>Typed</i> reason"}, "days": {"a week"}}, 400, masthead.UserActionInput{},
			[]string{masthead.Msg(masthead.MsgUserDaysInvalid, 365), "&lt;i&gt;Typed&lt;/i&gt; reason", `id="suspend-days-error"`}},
		{"too many days", "suspend", url.Values{"reason": {"x"}, "days": {"400"}}, 400, masthead.UserActionInput{},
			[]string{masthead.Msg(masthead.MsgUserDaysInvalid, 365), `value="400"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newUsersFixture(t)
			res, body := f.do(t, "moderator", "POST", "/admin/users/7/"+tt.path, tt.form)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d\n%s", res.StatusCode, tt.wantStatus, body)
			}
			checkBody(t, body, tt.wantBody, nil)
			if tt.wantStatus != 303 {
				if len(f.acted) != 0 {
					t.Errorf("actions: got %+v, want none", f.acted)
				}
				return
			}
			if got, want := res.Header.Get("Location"), "/admin/users/7?done="+tt.path; got != want {
				t.Errorf("Location: got %q, want %q", got, want)
			}
			if len(f.acted) != 1 || f.acted[0] != tt.wantInput {
				t.Fatalf("actions: got %+v, want %+v", f.acted, tt.wantInput)
			}
			if a := f.actors[0]; a.ID != 101 || a.Role != masthead.RoleModerator || a.IP == "" {
				t.Errorf("actor: got %+v, want the moderator with their address", a)
			}
			_, body = f.do(t, "moderator", "GET", res.Header.Get("Location"), nil)
			checkBody(t, body, []string{masthead.Msg("users.done." + masthead.MessageID(tt.wantInput.Action))}, nil)
		})
	}
}

func TestAdminUsersSearch(t *testing.T) {
	f := newUsersFixture(t)
	_, body := f.do(t, "moderator", "GET", "/admin/users?q=reader%40", nil)
	checkBody(t, body, []string{`<a href="/admin/users/7">reader@example.com</a>`, `value="reader@"`}, nil)
	_, body = f.do(t, "moderator", "GET", "/admin/users?q=%3Cnobody%3E", nil)
	checkBody(t, body, []string{masthead.Msg("users.search.none", "&lt;nobody&gt;")}, []string{"<nobody>"})
}

func TestWarningInterstitial(t *testing.T) {
	f := newUsersFixture(t)
	get := func(target string, hdr ...string) (*http.Response, string) {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-subscriber"})
		return do(t, f.h, req)
	}
	for _, tc := range []struct {
		name   string
		target string
		hdr    []string
		want   string // Location, "" for not sent to the warning
	}{
		{"front page", "/", nil, "/account/warning?next=%2F"},
		{"a story", "/sections/world?page=2", nil, "/account/warning?next=%2Fsections%2Fworld%3Fpage%3D2"},
		{"the account page", "/account", nil, "/account/warning?next=%2Faccount"},
		{"the warning page", "/account/warning", nil, ""},
		{"the API", "/api/v1/stories", nil, ""},
		{"a script's fetch", "/", []string{"Sec-Fetch-Mode", "cors"}, ""},
		{"a navigation", "/", []string{"Sec-Fetch-Mode", "navigate"}, "/account/warning?next=%2F"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := f.pendingCalls
			res, _ := get(tc.target, tc.hdr...)
			// Only the warning page reads the warning; the gate reads
			// the flag that comes with the account.
			wantCalls := 0
			if tc.target == pathWarning {
				wantCalls = 1
			}
			if got := f.pendingCalls - calls; got != wantCalls {
				t.Errorf("GET %s: got %d PendingWarning calls, want %d", tc.target, got, wantCalls)
			}
			got := ""
			if res.StatusCode == http.StatusSeeOther {
				got = res.Header.Get("Location")
			}
			if got != tc.want {
				t.Errorf("GET %s: got status %d to %q, want %q", tc.target, res.StatusCode, got, tc.want)
			}
		})
	}

	// Other readers are not held up, and the gate asks the user service
	// nothing: the flag comes with the account.
	if res, _ := f.do(t, "moderator", "GET", "/", nil); res.StatusCode != http.StatusOK {
		t.Errorf("another reader's front page: got %d, want 200", res.StatusCode)
	}
	if f.pendingCalls != 1 {
		t.Errorf("PendingWarning calls: got %d, want 1 (the warning page's)", f.pendingCalls)
	}
	// Signing out works.
	req := postForm("/signout", nil)
	req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-subscriber"})
	if res, _ := do(t, f.h, req); res.StatusCode != http.StatusSeeOther || strings.HasPrefix(res.Header.Get("Location"), "/account/warning") {
		t.Errorf("sign out: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	// The page shows the warning, escaped, with its button.
	res, body := get("/account/warning?next=%2Fsections%2Fworld")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("warning page: got %d", res.StatusCode)
	}
	checkBody(t, body, []string{
		"A moderator has warned you", "Please &lt;b&gt;stop&lt;/b&gt; the insults.",
		`action="/account/warnings/55/acknowledge"`, `name="next" value="/sections/world"`, "I understand",
	}, []string{"<b>stop</b>"})

	// Someone else's warning is not found; acknowledging one's own leads on.
	ack := func(id, next string) *http.Response {
		req := postForm("/account/warnings/"+id+"/acknowledge", url.Values{"next": {next}})
		req.AddCookie(&http.Cookie{Name: InsecureSessionCookieName, Value: "tok-subscriber"})
		res, _ := do(t, f.h, req)
		return res
	}
	if res := ack("99", "/"); res.StatusCode != http.StatusNotFound {
		t.Errorf("acknowledge another warning: got %d, want 404", res.StatusCode)
	}
	if res := ack("55", "https://evil.example/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Errorf("acknowledge with a foreign next: got %d to %q, want /account", res.StatusCode, res.Header.Get("Location"))
	}
	if len(f.acked) != 1 {
		t.Errorf("acknowledged: got %v, want [55]", f.acked)
	}
	if res, _ := get("/"); res.StatusCode != http.StatusOK {
		t.Errorf("front page after acknowledging: got %d, want 200", res.StatusCode)
	}
	if res, _ := get("/account/warning?next=%2Fsections%2Fworld"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sections/world" {
		t.Errorf("warning page with none left: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	// Signed out, the page asks to sign in.
	res, _ = do(t, f.h, httptest.NewRequest(http.MethodGet, "/account/warning", nil))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("signed out: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}
