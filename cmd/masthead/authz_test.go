package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"masthead"
	"masthead/internal/demo"
	"masthead/internal/sqldb"
	"masthead/internal/web"
)

// staffRouteTable is what every staff route must require: the issue's
// matrix, written out by hand so that a route registered with the wrong
// permission shows up as a mismatch. TestAuthorisationMatrix also checks
// that it names exactly the routes the server registers.
var staffRouteTable = map[string]masthead.Permission{
	"GET /admin": masthead.PermStaff,

	"GET /admin/plans":                         masthead.PermPlans,
	"GET /admin/plans/new":                     masthead.PermPlans,
	"POST /admin/plans/new":                    masthead.PermPlans,
	"GET /admin/plans/{slug}":                  masthead.PermPlans,
	"POST /admin/plans/{slug}":                 masthead.PermPlans,
	"POST /admin/plans/{slug}/archive":         masthead.PermPlans,
	"GET /admin/subscribers":                   masthead.PermUsers,
	"GET /admin/subscribers/{id}":              masthead.PermUsers,
	"POST /admin/subscribers/{id}/comp":        masthead.PermPlans,
	"POST /admin/subscribers/{id}/comp/revoke": masthead.PermPlans,

	"GET /admin/stories":                               masthead.PermStories,
	"GET /admin/stories/new":                           masthead.PermStories,
	"POST /admin/stories/new":                          masthead.PermStories,
	"POST /admin/stories/preview":                      masthead.PermStories,
	"GET /admin/stories/{id}":                          masthead.PermStories,
	"POST /admin/stories/{id}":                         masthead.PermStories,
	"GET /admin/stories/{id}/revisions":                masthead.PermStories,
	"POST /admin/stories/{id}/revisions/{rev}/restore": masthead.PermStories,
	"GET /admin/sections":                              masthead.PermStories,
	"GET /admin/sections/new":                          masthead.PermStories,
	"POST /admin/sections/new":                         masthead.PermStories,
	"GET /admin/sections/{id}":                         masthead.PermStories,
	"POST /admin/sections/{id}":                        masthead.PermStories,
	"GET /admin/authors":                               masthead.PermStories,
	"GET /admin/authors/new":                           masthead.PermStories,
	"POST /admin/authors/new":                          masthead.PermStories,
	"GET /admin/authors/{id}":                          masthead.PermStories,
	"POST /admin/authors/{id}":                         masthead.PermStories,

	"GET /admin/settings":  masthead.PermSettings,
	"POST /admin/settings": masthead.PermSettings,

	"GET /admin/moderation":                masthead.PermModerate,
	"POST /admin/moderation":               masthead.PermModerate,
	"GET /api/v1/admin/moderation/counts":  masthead.PermModerate,
	"POST /api/v1/admin/comments/moderate": masthead.PermModerate,

	"GET /admin/users":                          masthead.PermUsers,
	"GET /admin/users/{id}":                     masthead.PermUsers,
	"POST /admin/users/{id}/warn":               masthead.PermUsers,
	"POST /admin/users/{id}/suspend":            masthead.PermUsers,
	"POST /admin/users/{id}/ban":                masthead.PermUsers,
	"POST /admin/users/{id}/lift":               masthead.PermUsers,
	"POST /admin/users/{id}/reset-display-name": masthead.PermUsers,

	"GET /admin/staff":                        masthead.PermStaffAdmin,
	"POST /admin/staff":                       masthead.PermStaffAdmin,
	"POST /admin/staff/{id}/role":             masthead.PermStaffAdmin,
	"POST /admin/staff/{id}/two-factor/reset": masthead.PermStaffAdmin,

	"GET /admin/audit": masthead.PermAudit,
}

// TestAuthorisationMatrix runs the real server (serve --demo on SQLite)
// and requests every staff route, with its method, as an anonymous
// visitor, a subscriber, a moderator, an editor and an administrator
// (signed in with two-factor), comparing each answer with what the role
// may do: anonymous visitors are sent to sign in (401 for the API), roles
// without the permission get 403, roles with it get neither.
func TestAuthorisationMatrix(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "m.db")
	var cfg serveConfig
	f := newServeFlags(&cfg)
	if err := f.parse([]string{"--demo", "--addr", "127.0.0.1:0", "--database", "sqlite:" + dbPath}, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	type started struct {
		site *web.Server
		url  string
	}
	ready := make(chan started, 1)
	cfg.onListening = func(site *web.Server, url string) { ready <- started{site, url} }
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, &cfg, slog.New(slog.DiscardHandler)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	var s started
	select {
	case s = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped before listening: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve never listened")
	}

	// The table names exactly the routes the server registers.
	registered := map[string]masthead.Permission{}
	for _, r := range s.site.AdminRoutes() {
		registered[r.Pattern] = r.Perm
		if _, ok := staffRouteTable[r.Pattern]; !ok {
			t.Errorf("route %s (needs %s) is not in the matrix's table", r.Pattern, r.Perm)
		}
	}
	for pattern := range staffRouteTable {
		if _, ok := registered[pattern]; !ok {
			t.Errorf("the matrix's table names %s, which the server does not register", pattern)
		}
	}

	// Values for the routes' wildcards: real rows of the demo.
	ids := demoIDs(t, dbPath)
	fill := func(pattern string) (method, path string) {
		method, path, _ = strings.Cut(pattern, " ")
		target := strconv.FormatInt(ids.target, 10)
		r := strings.NewReplacer("{slug}", "standard", "{rev}", "1")
		path = r.Replace(path)
		switch {
		case strings.HasPrefix(path, "/admin/stories/"):
			path = strings.Replace(path, "{id}", strconv.FormatInt(ids.story, 10), 1)
		case strings.HasPrefix(path, "/admin/sections/"), strings.HasPrefix(path, "/admin/authors/"):
			path = strings.Replace(path, "{id}", "1", 1)
		default:
			path = strings.Replace(path, "{id}", target, 1)
		}
		return method, path
	}

	clients := map[string]*http.Client{"anonymous": newClient(t)}
	roles := map[string]masthead.Role{"anonymous": "", "subscriber": masthead.RoleSubscriber}
	for who, email := range map[string]string{
		"subscriber": "free@example.com",
		"moderator":  "moderator@example.com",
		"editor":     "editor@example.com",
		"admin":      "admin@example.com",
	} {
		clients[who] = signedIn(t, s.url, email)
		if who != "subscriber" {
			roles[who] = masthead.Role(who)
		}
	}

	patterns := make([]string, 0, len(staffRouteTable))
	for p := range staffRouteTable {
		patterns = append(patterns, p)
	}
	slices.Sort(patterns)
	mismatches, checked := 0, 0
	for _, who := range []string{"anonymous", "subscriber", "moderator", "editor", "admin"} {
		for _, pattern := range patterns {
			perm := staffRouteTable[pattern]
			method, path := fill(pattern)
			status, location := request(t, clients[who], method, s.url+path)
			checked++
			api := strings.HasPrefix(path, "/api/")
			var want string
			ok := false
			switch {
			case who == "anonymous" && api:
				want, ok = "401", status == http.StatusUnauthorized
			case who == "anonymous":
				want, ok = "303 to /signin", status == http.StatusSeeOther && strings.HasPrefix(location, "/signin")
			case !roles[who].Can(perm):
				want, ok = "403", status == http.StatusForbidden
			default:
				want = "allowed (not 401, 403, a sign-in redirect or a server error)"
				ok = status != http.StatusUnauthorized && status != http.StatusForbidden && status < 500 &&
					!strings.HasPrefix(location, "/signin") && !strings.HasPrefix(location, "/account/security")
			}
			if !ok {
				mismatches++
				t.Errorf("%s %s %s: got %d %s, want %s", who, method, path, status, location, want)
			}
		}
	}
	t.Logf("authorisation matrix: %d routes × 5 roles = %d requests, %d mismatches", len(patterns), checked, mismatches)

	// The audit log kept an entry of every action that went through, and
	// no route changes or deletes one: even an administrator's attempts
	// with every method leave the log as it was.
	before := auditEntries(t, dbPath)
	if len(before) == 0 {
		t.Fatal("the administrator's actions left no audit entries")
	}
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		for _, path := range []string{"/admin/audit", "/admin/audit/" + before[0], "/api/v1/admin/audit/" + before[0]} {
			if status, _ := request(t, clients["admin"], method, s.url+path); status < 400 || status >= 500 {
				t.Errorf("admin %s %s: got %d, want a refusal", method, path, status)
			}
		}
	}
	if after := auditEntries(t, dbPath); !slices.Equal(before, after) {
		t.Errorf("the audit log changed: %d entries before, %d after", len(before), len(after))
	}
}

// auditEntries returns every audit entry, as "id action target", oldest
// first.
func auditEntries(t *testing.T, dbPath string) []string {
	t.Helper()
	db, err := sqldb.Open(t.Context(), "sqlite:"+dbPath, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Pools()["read"].QueryContext(t.Context(), `SELECT id, action, target_type, target_id, after_state FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, action, typ, target, after string
		if err := rows.Scan(&id, &action, &typ, &target, &after); err != nil {
			t.Fatal(err)
		}
		out = append(out, id+" "+action+" "+typ+" "+target+" "+after)
	}
	return out
}

// demoRows are IDs of demo rows the matrix's routes need.
type demoRows struct {
	story  int64
	target int64 // a subscriber who is not one of the signed-in roles
}

// demoIDs reads them from the demo database.
func demoIDs(t *testing.T, dbPath string) demoRows {
	t.Helper()
	db, err := sqldb.Open(t.Context(), "sqlite:"+dbPath, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pool := db.Pools()["read"]
	var ids demoRows
	if err := pool.QueryRowContext(t.Context(), `SELECT MIN(id) FROM stories`).Scan(&ids.story); err != nil {
		t.Fatal(err)
	}
	email := demo.Commenters()[0].Email
	if err := pool.QueryRowContext(t.Context(), `SELECT id FROM accounts WHERE email = $1`, email).Scan(&ids.target); err != nil {
		t.Fatalf("find %s: %v", email, err)
	}
	return ids
}

// newClient is an HTTP client with its own cookies that does not follow
// redirects.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signedIn signs a demo account in, with its second step when it has
// two-factor sign-in on.
func signedIn(t *testing.T, base, email string) *http.Client {
	t.Helper()
	c := newClient(t)
	status, location := post(t, c, base+"/signin", neturl.Values{"email": {email}, "password": {demo.Password}})
	if status == http.StatusSeeOther && strings.HasPrefix(location, "/signin/two-factor") {
		code := masthead.TOTPCode(demo.AdminTOTPSecret, masthead.TOTPStep(time.Now()))
		status, location = post(t, c, base+"/signin/two-factor", neturl.Values{"code": {code}})
	}
	if status != http.StatusSeeOther || strings.HasPrefix(location, "/signin") {
		t.Fatalf("sign in as %s: %d to %q", email, status, location)
	}
	return c
}

func post(t *testing.T, c *http.Client, u string, form neturl.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// request sends an empty request (a form POST for POST) and returns the
// status and the Location header.
func request(t *testing.T, c *http.Client, method, u string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if strings.Contains(u, "/api/") {
			req.Header.Set("Content-Type", "application/json")
			req.Body = io.NopCloser(strings.NewReader(`{}`))
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}
