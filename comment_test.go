package masthead_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"masthead"
)

const commentRel = "nofollow ugc noopener"

func TestNormalizeCommentBody(t *testing.T) {
	const max = 3000
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr string // the error's message, "" when accepted
	}{
		{"plain", "Hello there.", "Hello there.", ""},
		{"empty", "", "", masthead.Msg(masthead.MsgCommentEmpty)},
		{"spaces only", "   ", "", masthead.Msg(masthead.MsgCommentEmpty)},
		{"whitespace only", " \t \u00a0\u3000 ", "", masthead.Msg(masthead.MsgCommentEmpty)},
		{"newlines only", "\n\n\n", "", masthead.Msg(masthead.MsgCommentEmpty)},
		{"CRLF only", "\r\n\r\n", "", masthead.Msg(masthead.MsgCommentEmpty)},
		{"blank lines with spaces", " \n \t\n  \r\n", "", masthead.Msg(masthead.MsgCommentEmpty)},
		{"invisible characters only", "\u200b\u200d\ufeff \u2060", "", masthead.Msg(masthead.MsgCommentEmpty)},
		{"3000 ASCII characters", strings.Repeat("a", 3000), strings.Repeat("a", 3000), ""},
		{"3000 two-byte characters", strings.Repeat("é", 3000), strings.Repeat("é", 3000), ""},
		{"3000 four-byte characters", strings.Repeat("😀", 3000), strings.Repeat("😀", 3000), ""},
		{"3000 decomposed characters compose to 3000", strings.Repeat("e\u0301", 3000), strings.Repeat("é", 3000), ""},
		{"3000 characters with trailing space", strings.Repeat("é", 3000) + "   \n\n", strings.Repeat("é", 3000), ""},
		{"3001 characters", strings.Repeat("é", 3001), "", masthead.Msg(masthead.MsgCommentTooLong, 3000, 3001)},
		{"3001 ASCII characters", strings.Repeat("a", 3001), "", masthead.Msg(masthead.MsgCommentTooLong, 3000, 3001)},
		{"far too long", strings.Repeat("ab", 2500), "", masthead.Msg(masthead.MsgCommentTooLong, 3000, 5000)},
		{"CRLF normalised", "one\r\ntwo\r\n\r\nthree", "one\ntwo\n\nthree", ""},
		{"lone CR normalised", "one\rtwo", "one\ntwo", ""},
		{"NFC", "Caf\u0065\u0301 cre\u0300me", "Caf\u00e9 cr\u00e8me", ""},
		{"NFC Hangul", "\u1100\u1161", "\uac00", ""},
		{"invalid UTF-8", "abc\xffdef", "", masthead.Msg(masthead.MsgCommentInvalidText)},
		{"truncated UTF-8", "caf\xc3", "", masthead.Msg(masthead.MsgCommentInvalidText)},
		{"NUL byte", "a\x00b", "", masthead.Msg(masthead.MsgCommentInvalidText)},
		{"escape control", "a\x1b[31mred", "", masthead.Msg(masthead.MsgCommentInvalidText)},
		{"DEL control", "a\x7fb", "", masthead.Msg(masthead.MsgCommentInvalidText)},
		{"tab kept", "a\tb", "a\tb", ""},
		{"leading blank lines trimmed", "\n\n\nHello", "Hello", ""},
		{"leading blank lines with spaces trimmed", "  \n\t\n\r\nHello", "Hello", ""},
		{"first line's indentation kept", "\n\n   Hello\n  world", "   Hello\n  world", ""},
		{"trailing spaces trimmed", "Hello   \t\n\n  \n", "Hello", ""},
		{"inner text kept as typed", "  Hi  there,\n\n\n\n  <b>you</b>   &amp;  \n me  ",
			"  Hi  there,\n\n\n\n  <b>you</b>   &amp;  \n me", ""},
		{"markup kept as text", "<script>alert(1)</script>", "<script>alert(1)</script>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := masthead.NormalizeCommentBody(tt.in, max)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("NormalizeCommentBody = %q, nil; want error %q", got, tt.wantErr)
				}
				var e *masthead.Error
				if !errors.As(err, &e) {
					t.Fatalf("error = %T %v, want *masthead.Error", err, err)
				}
				if e.Code != masthead.EINVALID || e.Field != "body" || e.Message != tt.wantErr {
					t.Errorf("error = {%q %q %q}, want {%q %q %q}",
						e.Code, e.Field, e.Message, masthead.EINVALID, "body", tt.wantErr)
				}
				if got != "" {
					t.Errorf("body = %q, want \"\" with an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizeCommentBody error = %v, want nil", err)
			}
			if got != tt.want {
				t.Errorf("NormalizeCommentBody = %q, want %q", got, tt.want)
			}
			if again, err := masthead.NormalizeCommentBody(got, max); err != nil || again != got {
				t.Errorf("not idempotent: again = %q, %v", again, err)
			}
		})
	}
}

func TestNormalizeCommentBodyTooLongCounts(t *testing.T) {
	_, err := masthead.NormalizeCommentBody(strings.Repeat("é", 3001), 3000)
	msg := masthead.ErrorMessage(err)
	for _, n := range []string{"3000", "3001"} {
		if !strings.Contains(msg, n) {
			t.Errorf("message %q does not give the count %s", msg, n)
		}
	}
}

func TestRenderCommentBody(t *testing.T) {
	link := func(u string) string {
		e := html.EscapeString(u)
		return `<a href="` + e + `" rel="nofollow ugc noopener">` + e + `</a>`
	}
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"one line", "Hello.", "<p>Hello.</p>\n"},
		{"line breaks", "one\ntwo\nthree", "<p>one<br>\ntwo<br>\nthree</p>\n"},
		{"paragraphs", "one\n\ntwo", "<p>one</p>\n<p>two</p>\n"},
		{"many blank lines make one break", "one\n\n\n\n\ntwo", "<p>one</p>\n<p>two</p>\n"},
		{"blank line with spaces is a paragraph break", "one\n  \t\ntwo", "<p>one</p>\n<p>two</p>\n"},
		{"paragraphs and lines", "a\nb\n\nc\nd", "<p>a<br>\nb</p>\n<p>c<br>\nd</p>\n"},
		{"CRLF", "a\r\nb\r\n\r\nc", "<p>a<br>\nb</p>\n<p>c</p>\n"},
		{"inner spaces kept", "  a  b  ", "<p>  a  b  </p>\n"},
		{"escaped", `<b>&amp;"'</b>`, "<p>&lt;b&gt;&amp;amp;&#34;&#39;&lt;/b&gt;</p>\n"},
		{"https URL", "see https://a.example/x", "<p>see " + link("https://a.example/x") + "</p>\n"},
		{"http URL", "http://a.example", "<p>" + link("http://a.example") + "</p>\n"},
		{"one-letter host", "http://x", "<p>" + link("http://x") + "</p>\n"},
		{"URL with query and fragment", "https://a.example/p?q=1&r=<2>#frag",
			"<p>" + link("https://a.example/p?q=1&r=") + "&lt;2&gt;#frag</p>\n"},
		{"URL with ampersand", "https://a.example/?a=1&b=2", "<p>" + link("https://a.example/?a=1&b=2") + "</p>\n"},
		{"two URLs", "https://a.example and http://b.example/",
			"<p>" + link("https://a.example") + " and " + link("http://b.example/") + "</p>\n"},
		{"URL on second line", "see:\nhttps://a.example", "<p>see:<br>\n" + link("https://a.example") + "</p>\n"},
		{"trailing full stop", "Go to https://a.example/x.", "<p>Go to " + link("https://a.example/x") + ".</p>\n"},
		{"trailing punctuation", "https://a.example/x?!,;:.", "<p>" + link("https://a.example/x") + "?!,;:.</p>\n"},
		{"inner full stop kept", "https://a.example/x.html", "<p>" + link("https://a.example/x.html") + "</p>\n"},
		{"URL in parentheses", "(see https://a.example/x)", "<p>(see " + link("https://a.example/x") + ")</p>\n"},
		{"URL in parentheses with full stop", "(https://a.example/x).", "<p>(" + link("https://a.example/x") + ").</p>\n"},
		{"balanced parentheses kept", "https://en.wikipedia.example/wiki/Foo_(bar)",
			"<p>" + link("https://en.wikipedia.example/wiki/Foo_(bar)") + "</p>\n"},
		{"balanced parentheses in parentheses", "(https://w.example/Foo_(bar))",
			"<p>(" + link("https://w.example/Foo_(bar)") + ")</p>\n"},
		{"URL in brackets", "[https://a.example/x]", "<p>[" + link("https://a.example/x") + "]</p>\n"},
		{"balanced brackets kept", "https://a.example/x[1]", "<p>" + link("https://a.example/x[1]") + "</p>\n"},
		{"URL in quotes", `"https://a.example/x"`, "<p>&#34;" + link("https://a.example/x") + "&#34;</p>\n"},
		{"URL in angle brackets", "<https://a.example/x>", "<p>&lt;" + link("https://a.example/x") + "&gt;</p>\n"},
		{"URL after a letter", "xhttp://a.example", "<p>xhttp://a.example</p>\n"},
		{"URL after a digit", "1https://a.example", "<p>1https://a.example</p>\n"},
		{"URL after an underscore", "_https://a.example", "<p>_https://a.example</p>\n"},
		{"URL after an accented letter", "éhttps://a.example", "<p>éhttps://a.example</p>\n"},
		{"URL after a colon", "link:https://a.example", "<p>link:" + link("https://a.example") + "</p>\n"},
		{"scheme alone", "https://", "<p>https://</p>\n"},
		{"http scheme alone", "http:// and more", "<p>http:// and more</p>\n"},
		{"scheme and punctuation", "https://.", "<p>https://.</p>\n"},
		{"scheme and a closing parenthesis", "(https://)", "<p>(https://)</p>\n"},
		{"no host", "https:///a.example", "<p>https:///a.example</p>\n"},
		{"javascript URL", "javascript:alert(1)", "<p>javascript:alert(1)</p>\n"},
		{"data URL", "data:text/html,<script>alert(1)</script>",
			"<p>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
		{"ftp URL", "ftp://a.example/f", "<p>ftp://a.example/f</p>\n"},
		{"upper-case scheme not linked", "HTTPS://A.EXAMPLE", "<p>HTTPS://A.EXAMPLE</p>\n"},
		{"http without slashes", "http:a.example", "<p>http:a.example</p>\n"},
		{"quote ends the URL", `https://a.example/"onmouseover="alert(1)`,
			"<p>" + link("https://a.example/") + "&#34;onmouseover=&#34;alert(1)</p>\n"},
		{"apostrophe ends the URL", `https://a.example/'onmouseover='alert(1)`,
			"<p>" + link("https://a.example/") + "&#39;onmouseover=&#39;alert(1)</p>\n"},
		{"bidi override ends the URL", "https://a.example/\u202egpj.exe",
			"<p>" + link("https://a.example/") + "\u202egpj.exe</p>\n"},
		{"non-ASCII path kept", "https://a.example/café", "<p>" + link("https://a.example/café") + "</p>\n"},
		{"NUL made visible", "a\x00b", "<p>a\ufffdb</p>\n"},
		{"invalid UTF-8 made visible", "a\xffb", "<p>a\ufffdb</p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := masthead.RenderCommentBody(tt.in)
			if got != tt.want {
				t.Errorf("RenderCommentBody(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
			checkRenderedComment(t, tt.in, got)
		})
	}
}

// xssPayloads are comment bodies that try to get markup or script through
// the renderer.
var xssPayloads = []string{
	// Script tags.
	`<script>alert(1)</script>`,
	`<SCRIPT>alert(1)</SCRIPT>`,
	`<ScRiPt>alert(1)</sCrIpT>`,
	`<script src="https://evil.example/x.js"></script>`,
	`<script src=https://evil.example/x.js></script>`,
	`<script/src=data:,alert(1)></script>`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	`<script>alert(String.fromCharCode(88,83,83))</script>`,
	`</p><script>alert(1)</script><p>`,
	`<<script>alert(1);//<</script>`,
	`<script
>alert(1)</script
>`,
	"<script\x00>alert(1)</script>",
	"<scr\x00ipt>alert(1)</script>",
	`<script type="module">import("https://evil.example/m.js")</script>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	// Event handlers.
	`<img src=x onerror=alert(1)>`,
	`<img src=x onerror="alert(1)">`,
	`<IMG SRC=x OnErRoR=alert(1)>`,
	`<img src=x:alert(alt) onerror=eval(src) alt=0>`,
	`<img/src=x/onerror=alert(1)>`,
	`<img src="x` + "`" + `onerror=alert(1)` + "`" + `>`,
	`"><svg/onload=alert(1)>`,
	`'><svg/onload=alert(1)>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<svg><animate onbegin=alert(1) attributeName=x dur=1s>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<body onload=alert(1)>`,
	`<div onmouseover="alert(1)">hover</div>`,
	`<a onmouseover=alert(1)>x</a>`,
	`<input autofocus onfocus=alert(1)>`,
	`<select autofocus onfocus=alert(1)>`,
	`<textarea autofocus onfocus=alert(1)>`,
	`<keygen autofocus onfocus=alert(1)>`,
	`<video><source onerror="alert(1)">`,
	`<audio src=x onerror=alert(1)>`,
	`<details open ontoggle=alert(1)>`,
	`<marquee onstart=alert(1)>`,
	`<iframe onload=alert(1)>`,
	`<object data="javascript:alert(1)">`,
	`<embed src="javascript:alert(1)">`,
	`<form><button formaction=javascript:alert(1)>x</button></form>`,
	`<isindex action=javascript:alert(1) type=image>`,
	`<x onclick=alert(1)>click`,
	`<p style="background:url(javascript:alert(1))">`,
	`<div style="width:expression(alert(1))">`,
	`<style>@import 'https://evil.example/x.css';</style>`,
	`<link rel=stylesheet href=https://evil.example/x.css>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="https://evil.example/">`,
	// javascript:, data: and other schemes.
	`javascript:alert(1)`,
	`JaVaScRiPt:alert(1)`,
	` javascript:alert(1)`,
	"java\tscript:alert(1)",
	"java\nscript:alert(1)",
	"java\x00script:alert(1)",
	`jav&#x09;ascript:alert(1)`,
	`javascript&colon;alert(1)`,
	`javascript:alert(1)//https://a.example/`,
	`javascript://https://a.example/%0aalert(1)`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href=javascript:alert(1)>x</a>`,
	`<a href="jAvAsCrIpT:alert(1)">x</a>`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
	`<a href="&#x6A;avascript:alert(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`data:text/html,<script>alert(1)</script>`,
	`data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`,
	`vbscript:msgbox(1)`,
	`ftp://evil.example/x`,
	`https:javascript:alert(1)`,
	`http:/evil.example`,
	// Attribute breakouts inside URLs.
	`https://a.example/"onmouseover="alert(1)`,
	`https://a.example/" onmouseover="alert(1)`,
	`https://a.example/'onmouseover='alert(1)`,
	"https://a.example/`onmouseover=alert(1)",
	`https://a.example/"><script>alert(1)</script>`,
	`https://a.example/<script>alert(1)</script>`,
	`https://a.example/?q="><img src=x onerror=alert(1)>`,
	`https://a.example/&quot;onmouseover=&quot;alert(1)`,
	`https://a.example/&#34;onmouseover=&#34;alert(1)`,
	`https://a.example/&#x22;%20onmouseover=alert(1)`,
	`https://a.example/%22onmouseover=%22alert(1)`,
	"https://a.example/\x00\"onmouseover=alert(1)",
	"https://a.example/\u201conmouseover=\u201dalert(1)",
	"https://a.example/\uff02onmouseover=alert(1)",
	`https://a.example/x"style="position:fixed;top:0;left:0;width:100%;height:100%`,
	`(https://a.example/"onclick="alert(1))`,
	`[https://a.example/"]`,
	`https://javascript:alert(1)@a.example/`,
	`https://a.example/#<img src=x onerror=alert(1)>`,
	`https://a.example/</a><script>alert(1)</script>`,
	`<a href="https://a.example/">https://a.example/</a>`,
	`https://a.example/?a=1&amp;b=<b>bold</b>`,
	// Entity and encoding tricks.
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`&#60;script&#62;alert(1)&#60;/script&#62;`,
	`&#x3c;script&#x3e;alert(1)&#x3c;/script&#x3e;`,
	`&#0000060script&#0000062alert(1)`,
	`&LT;script&GT;`,
	`&amp;lt;img src=x onerror=alert(1)&amp;gt;`,
	`&quot;&gt;&lt;svg onload=alert(1)&gt;`,
	`%3Cscript%3Ealert(1)%3C/script%3E`,
	`\u003cscript\u003ealert(1)\u003c/script\u003e`,
	`\x3cscript\x3ealert(1)\x3c/script\x3e`,
	"\u003cscript\u003ealert(1)\u003c/script\u003e",
	"\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
	"\u2039script\u203aalert(1)",
	"+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
	"\xc0\xbcscript\xc0\xbealert(1)",
	"\xe0\x80\xbcscript>",
	"<scr\u200bipt>alert(1)</script>",
	"\ufeff<script>alert(1)</script>",
	"<\x00script>alert(1)</script>",
	"<\x0bscript>alert(1)",
	// Comments, CDATA, doctype and other parser states.
	`<!--<script>alert(1)</script>-->`,
	`<!-- --!><img src=x onerror=alert(1)> -->`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`<!DOCTYPE html><script>alert(1)</script>`,
	`<?xml version="1.0"?><script>alert(1)</script>`,
	`<title><script>alert(1)</script></title>`,
	`<textarea></textarea><script>alert(1)</script>`,
	`<plaintext><script>alert(1)</script>`,
	`<xmp><script>alert(1)</script></xmp>`,
	`<template><script>alert(1)</script></template>`,
	`</p></div></body></html><script>alert(1)</script>`,
	`<p>ok</p><br><a href="https://a.example/" rel="nofollow ugc noopener">x</a>`,
	"<br/>\n\n<br>\r\n<p>",
	// Mixed with paragraphs, line breaks and links.
	"first line\n<script>alert(1)</script>\n\nhttps://a.example/x\n<img src=x onerror=alert(1)>",
	"https://a.example/x\n\n\"><svg/onload=alert(1)>\nhttps://b.example/\"><svg/onload=alert(1)>",
	"  \n\n<b onmouseover=alert(1)>bold</b>  \r\n\r\n  http://a.example/?q=<i>",
	"(see https://a.example/x) and <https://b.example/y> and \"https://c.example/z\".",
	"x<https://a.example/>y https://a.example/\"&'<>`",
	strings.Repeat("<", 200) + "script" + strings.Repeat(">", 200),
	strings.Repeat(`"><img src=x onerror=alert(1)>`, 20),
	strings.Repeat("https://a.example/\"", 30),
}

func TestRenderCommentBodyXSS(t *testing.T) {
	if len(xssPayloads) < 100 {
		t.Fatalf("the corpus has %d payloads, want at least 100", len(xssPayloads))
	}
	for i, p := range xssPayloads {
		t.Run(fmt.Sprintf("%03d", i), func(t *testing.T) {
			// As rendered from whatever reached the renderer...
			checkRenderedComment(t, p, masthead.RenderCommentBody(p))
			// ...and as the product stores and renders it.
			body, err := masthead.NormalizeCommentBody(p, 3000)
			if err != nil {
				if masthead.ErrorCode(err) != masthead.EINVALID {
					t.Fatalf("NormalizeCommentBody(%q) = %v, want accepted or EINVALID", p, err)
				}
				return
			}
			checkRenderedComment(t, body, masthead.RenderCommentBody(body))
			// Surrounded by text and inside a URL's path.
			for _, s := range []string{"before " + body + " after", "https://a.example/" + body, "(" + body + ")\n\n" + body} {
				checkRenderedComment(t, s, masthead.RenderCommentBody(s))
			}
		})
	}
}

func FuzzRenderCommentBody(f *testing.F) {
	for _, p := range xssPayloads {
		f.Add(p)
	}
	f.Add("one\ntwo\n\nthree https://a.example/x.")
	f.Add("(see https://a.example/x)")
	f.Add("xhttp://a.example https:// http://x")
	f.Fuzz(func(t *testing.T, s string) {
		checkRenderedComment(t, s, masthead.RenderCommentBody(s))
		if body, err := masthead.NormalizeCommentBody(s, 3000); err == nil {
			if !utf8.ValidString(body) || strings.TrimSpace(body) == "" || utf8.RuneCountInString(body) > 3000 {
				t.Fatalf("NormalizeCommentBody(%q) = %q, accepted but invalid, empty or too long", s, body)
			}
			checkRenderedComment(t, body, masthead.RenderCommentBody(body))
		} else if masthead.ErrorCode(err) != masthead.EINVALID || masthead.ErrorField(err) != "body" {
			t.Fatalf("NormalizeCommentBody(%q) error = %v, want EINVALID on body", s, err)
		}
	})
}

// renderedTag is every tag RenderCommentBody may write, exactly as it
// writes it; an href is escaped text holding no quote, bracket, backtick
// or space.
var renderedTag = regexp.MustCompile(`<p>|</p>|<br>|</a>|<a href="https?://[^"'<>` + "`" + `\s]+" rel="nofollow ugc noopener">`)

// checkRenderedComment checks that out, the rendering of in, holds only p,
// br and a elements; that every a has exactly an http(s) href and
// rel="nofollow ugc noopener", and links the text it shows; that nothing
// outside the known tags could start markup or break out of an attribute;
// and that the text reads as in's text.
func checkRenderedComment(t *testing.T, in, out string) {
	t.Helper()

	// Lexically: with the known tags removed, what is left is escaped text.
	if rest := renderedTag.ReplaceAllString(out, ""); strings.ContainsAny(rest, "<>\"'\x00") {
		t.Fatalf("render(%q) = %q: markup or a quote outside the known tags (%q)", in, out, rest)
	}

	// Tokenized: only start and end tags of p, br and a, with only the
	// expected attributes, and no comment or doctype.
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
		case html.StartTagToken, html.EndTagToken:
			switch tok.DataAtom {
			case atom.P, atom.Br:
				if len(tok.Attr) != 0 {
					t.Fatalf("render(%q) = %q: <%s> has attributes %v", in, out, tok.Data, tok.Attr)
				}
			case atom.A:
				if tt == html.StartTagToken {
					checkLinkAttrs(t, in, out, tok.Attr)
				}
			default:
				t.Fatalf("render(%q) = %q: element %q", in, out, tok.Data)
			}
		default:
			t.Fatalf("render(%q) = %q: token %v %q", in, out, tt, tok.String())
		}
	}

	// Parsed as a browser would, in the body of a page.
	body := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		t.Fatalf("render(%q) = %q: parse: %v", in, out, err)
	}
	var paras []string
	for _, n := range nodes {
		switch {
		case n.Type == html.TextNode && strings.Trim(n.Data, "\n") == "":
		case n.Type == html.ElementNode && n.DataAtom == atom.P && n.Namespace == "" && len(n.Attr) == 0:
			paras = append(paras, paragraphText(t, in, out, n))
		default:
			t.Fatalf("render(%q) = %q: top-level node %v %q; want only <p> and newlines", in, out, n.Type, n.Data)
		}
	}

	// The text round-trips: the same words in the same order, with the
	// same spacing between them up to whitespace.
	want := strings.ToValidUTF8(strings.ReplaceAll(in, "\x00", "\ufffd"), "\ufffd")
	if got, want := strings.Join(strings.Fields(strings.Join(paras, "\n\n")), " "), strings.Join(strings.Fields(want), " "); got != want {
		t.Fatalf("render(%q) = %q: text\n got: %q\nwant: %q", in, out, got, want)
	}
}

// paragraphText returns the text of a rendered paragraph, checking its
// children: text, <br> and <a> holding only text equal to its href.
func paragraphText(t *testing.T, in, out string, p *html.Node) string {
	t.Helper()
	var b strings.Builder
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			b.WriteString(c.Data)
		case c.Type == html.ElementNode && c.DataAtom == atom.Br && c.Namespace == "" && len(c.Attr) == 0 && c.FirstChild == nil:
		case c.Type == html.ElementNode && c.DataAtom == atom.A && c.Namespace == "":
			href := checkLinkAttrs(t, in, out, c.Attr)
			if c.FirstChild == nil || c.FirstChild != c.LastChild || c.FirstChild.Type != html.TextNode {
				t.Fatalf("render(%q) = %q: <a> holds more than its text", in, out)
			}
			if text := c.FirstChild.Data; text != href {
				t.Fatalf("render(%q) = %q: link text %q, href %q", in, out, text, href)
			}
			b.WriteString(c.FirstChild.Data)
		default:
			t.Fatalf("render(%q) = %q: in <p>: node %v %q", in, out, c.Type, c.Data)
		}
	}
	return b.String()
}

// checkLinkAttrs checks a link's attributes and returns its href.
func checkLinkAttrs(t *testing.T, in, out string, attrs []html.Attribute) string {
	t.Helper()
	if len(attrs) != 2 {
		t.Fatalf("render(%q) = %q: <a> has attributes %v, want href and rel", in, out, attrs)
	}
	var href string
	seen := map[string]bool{}
	for _, a := range attrs {
		seen[a.Key] = true
		if a.Namespace != "" || strings.ContainsAny(a.Val, "\"'<>`\x00") {
			t.Fatalf("render(%q) = %q: attribute %+v", in, out, a)
		}
		switch a.Key {
		case "href":
			href = a.Val
			if !strings.HasPrefix(a.Val, "http://") && !strings.HasPrefix(a.Val, "https://") ||
				len(a.Val) <= len("http://") || strings.ContainsFunc(a.Val, func(r rune) bool { return r <= ' ' }) {
				t.Fatalf("render(%q) = %q: href %q", in, out, a.Val)
			}
		case "rel":
			if a.Val != commentRel {
				t.Fatalf("render(%q) = %q: rel %q, want %q", in, out, a.Val, commentRel)
			}
		default:
			t.Fatalf("render(%q) = %q: <a> attribute %q", in, out, a.Key)
		}
	}
	if !seen["href"] || !seen["rel"] {
		t.Fatalf("render(%q) = %q: <a> attributes %v, want href and rel", in, out, attrs)
	}
	return href
}
