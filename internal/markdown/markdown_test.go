package markdown

import (
	"strings"
	"testing"

	"masthead"
)

func TestRenderMarkdown(t *testing.T) {
	r := New()
	tests := []struct {
		name    string
		body    string
		want    []string // substrings that must appear
		notWant []string // substrings that must not appear
	}{
		{
			name: "paragraphs and emphasis",
			body: "One *two* **three**.\n\nFour `five`.",
			want: []string{"<p>One <em>two</em> <strong>three</strong>.</p>", "<code>five</code>"},
		},
		{
			name:    "no typographer",
			body:    `He said "no" -- twice... 'really'`,
			want:    []string{"--", "..."},
			notWant: []string{"\u201c", "\u2013", "\u2014", "\u2026", "&ldquo;", "&ndash;"},
		},
		{
			name:    "headings clamped to h2-h4",
			body:    "# Top\n\n## Sub\n\n### Third\n\n###### Deep",
			want:    []string{"<h2>Top</h2>", "<h2>Sub</h2>", "<h3>Third</h3>", "<h4>Deep</h4>"},
			notWant: []string{"<h1", "<h5", "<h6", " id="},
		},
		{
			name: "lists and blockquote",
			body: "- a\n- b\n\n3. c\n4. d\n\n> quoted",
			want: []string{"<ul>", "<li>a</li>", `<ol start="3">`, "<blockquote>"},
		},
		{
			name: "table",
			body: "| a | b |\n|:--|--:|\n| 1 | 2 |",
			want: []string{"<table>", `<th align="left">a</th>`, `<td align="right">2</td>`},
		},
		{
			name: "strikethrough",
			body: "~~gone~~",
			want: []string{"<del>gone</del>"},
		},
		{
			name: "autolink external gets nofollow",
			body: "See https://example.com/report today.",
			want: []string{`<a href="https://example.com/report" rel="nofollow">https://example.com/report</a>`},
		},
		{
			name:    "relative link without nofollow",
			body:    "[Sport](/sections/sport)",
			want:    []string{`<a href="/sections/sport">Sport</a>`},
			notWant: []string{"nofollow"},
		},
		{
			name: "https and relative images kept",
			body: "![map](https://example.com/m.png) ![chart](/static/c.png)",
			want: []string{`<img src="https://example.com/m.png" alt="map">`, `<img src="/static/c.png" alt="chart">`},
		},
		{
			name:    "plain http and protocol-relative images dropped",
			body:    "![a](http://example.com/a.png) ![b](//evil.example/b.png)",
			notWant: []string{"http://example.com/a.png", "evil.example"},
		},
		{
			name:    "script tag",
			body:    "Hello <script>alert(1)</script> world\n\n<script>alert(2)</script>",
			notWant: []string{"<script", "alert(2)"},
		},
		{
			name:    "javascript link",
			body:    "[click](javascript:alert(1)) and <a href=\"javascript:alert(2)\">x</a>",
			notWant: []string{"javascript:", "<a href=\"javascript"},
		},
		{
			name:    "javascript link with entity obfuscation",
			body:    "[click](jav&#x09;ascript:alert(1)) [c2](JaVaScRiPt:alert(1))",
			notWant: []string{"ascript:", "aScRiPt:"},
		},
		{
			name:    "onerror attribute",
			body:    `<img src="x" onerror="alert(1)">` + "\n\n" + `![x](/x.png"onerror="alert(1))`,
			notWant: []string{`onerror="`, " onerror", "<img src=\"x\""},
		},
		{
			name:    "raw html iframe and style",
			body:    "<iframe src=\"https://evil.example\"></iframe>\n\n<p style=\"color:red\" onclick=\"x()\">hi</p>",
			notWant: []string{"<iframe", "style=", "onclick"},
		},
		{
			name:    "data url",
			body:    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) ![y](data:image/png;base64,AAAA)",
			notWant: []string{"data:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.RenderBody(masthead.FormatMarkdown, tt.body)
			if err != nil {
				t.Fatalf("RenderBody: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q\ngot: %s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("output contains %q\ngot: %s", w, got)
				}
			}
		})
	}
}

func TestRenderText(t *testing.T) {
	r := New()
	tests := []struct {
		name string
		body string
		want string
	}{
		{
			name: "one paragraph per line, exactly as written",
			body: "He said \"keep its promise\" -- and left.\nIt's 'fine'... really\n",
			want: "<p>He said \"keep its promise\" -- and left.</p>\n<p>It's 'fine'... really</p>\n",
		},
		{
			name: "blank lines and CRLF ignored",
			body: "first\r\n\r\n\r\nsecond  \n",
			want: "<p>first</p>\n<p>second</p>\n",
		},
		{
			name: "markup is escaped, not interpreted",
			body: "<script>alert(1)</script> & *not emphasis* [x](javascript:y)",
			want: "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; *not emphasis* [x](javascript:y)</p>\n",
		},
		{
			name: "attribute injection stays text",
			body: `<img src=x onerror="alert(1)">`,
			want: "<p>&lt;img src=x onerror=\"alert(1)\"&gt;</p>\n",
		},
		{
			name: "empty",
			body: "\n \n",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.RenderBody(masthead.FormatText, tt.body)
			if err != nil {
				t.Fatalf("RenderBody: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	_, err := New().RenderBody("html", "<b>x</b>")
	if got, want := masthead.ErrorCode(err), masthead.EINVALID; got != want {
		t.Fatalf("code = %q, want %q (err %v)", got, want, err)
	}
}

func TestRenderConcurrent(t *testing.T) {
	r := New()
	done := make(chan string)
	for range 8 {
		go func() {
			out, _ := r.RenderBody(masthead.FormatMarkdown, "# Hi\n\n*there*")
			done <- out
		}()
	}
	for range 8 {
		if got, want := <-done, "<h2>Hi</h2>\n<p><em>there</em></p>\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
