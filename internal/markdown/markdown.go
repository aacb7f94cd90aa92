// Package markdown renders story bodies to sanitised HTML. It implements
// masthead.BodyRenderer: Markdown bodies go through goldmark and then a
// bluemonday allow-list policy; plain-text bodies become one escaped HTML
// paragraph per line, exactly as written.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"masthead"
)

// Heading levels a story body may use. The page's headline is the only h1,
// so a Markdown "# Heading" becomes an h2 and anything deeper than h4 is
// rendered as an h4.
const (
	minHeading = 2
	maxHeading = 4
)

// Renderer turns story bodies into sanitised HTML. It is safe for concurrent
// use; build one with New and share it.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

var _ masthead.BodyRenderer = (*Renderer)(nil)

// New returns a Renderer. The Markdown dialect is CommonMark plus GitHub's
// tables, strikethrough and autolinks, with no typographic substitutions
// (quotes and dashes stay as written). Raw HTML in Markdown is dropped.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(headingClamp{}, 1000)),
		),
	)
	return &Renderer{md: md, policy: newPolicy()}
}

// RenderBody renders body, written in format, to sanitised HTML. An unknown
// format is an EINVALID error.
func (r *Renderer) RenderBody(format masthead.BodyFormat, body string) (string, error) {
	switch format {
	case masthead.FormatMarkdown:
		var buf bytes.Buffer
		if err := r.md.Convert([]byte(body), &buf); err != nil {
			return "", fmt.Errorf("markdown: render: %w", err)
		}
		return r.policy.Sanitize(buf.String()), nil
	case masthead.FormatText:
		return renderText(body), nil
	default:
		return "", fmt.Errorf("markdown: render: %w",
			masthead.FieldError("body_format", masthead.Msg(masthead.MsgFormatInvalid, format)))
	}
}

// renderText makes one <p> per paragraph of a plain-text body (see
// masthead.Paragraphs). Only the characters that HTML text content requires
// are escaped, so quotes, dashes and everything else reach the page exactly
// as written.
func renderText(body string) string {
	var b strings.Builder
	for _, p := range masthead.Paragraphs(body) {
		b.WriteString("<p>")
		textEscaper.WriteString(&b, p)
		b.WriteString("</p>\n")
	}
	return b.String()
}

// textEscaper escapes text for HTML element content.
var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// imageSrc matches the image sources a story may use: https URLs and
// relative paths (not protocol-relative ones, which could point anywhere
// over plain HTTP).
var imageSrc = regexp.MustCompile(`^(?:https://[^\s]+|/[^/\s][^\s]*|[^/:\s][^:\s]*)$`)

// newPolicy returns the allow-list for rendered Markdown: text structure,
// links with safe schemes (external ones marked nofollow), tables, and
// images served over HTTPS or from the site itself. Everything else,
// including every event-handler attribute and style, is removed.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AllowElements("p", "br", "hr", "h2", "h3", "h4",
		"ul", "ol", "li", "blockquote", "pre", "code",
		"em", "strong", "del", "sub", "sup",
		"table", "thead", "tbody", "tr")
	p.AllowAttrs("href", "title").OnElements("a")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(?:left|right|center)$`)).OnElements("th", "td")
	p.AllowElements("th", "td")
	p.AllowAttrs("src").Matching(imageSrc).OnElements("img")
	p.AllowAttrs("alt", "title").OnElements("img")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+-]{1,40}$`)).OnElements("code")
	return p
}

// headingClamp keeps Markdown headings within minHeading..maxHeading.
type headingClamp struct{}

// Transform implements parser.ASTTransformer.
func (headingClamp) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = min(max(h.Level, minHeading), maxHeading)
		}
		return ast.WalkContinue, nil
	})
}
