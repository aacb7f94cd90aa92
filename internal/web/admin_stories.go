package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead"
)

// The story editor: the story list, the story form with its preview, the
// revisions with their diff and restore, and the sections and authors.
// Every route needs masthead.PermStories; the service checks it again.

// scheduleLayout is the value format of a datetime-local input, read in
// the site's time zone; scheduleLayoutSeconds is the same with seconds,
// which browsers send when the field's step asks for them.
const (
	scheduleLayout        = "2006-01-02T15:04"
	scheduleLayoutSeconds = "2006-01-02T15:04:05"
)

// parseSchedule reads a datetime-local value, with or without seconds, in
// loc.
func parseSchedule(v string, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.ParseInLocation(scheduleLayoutSeconds, v, loc); err == nil {
		return t, nil
	}
	return time.ParseInLocation(scheduleLayout, v, loc)
}

// adminStoryRoutes registers the staff pages of this part of /admin with
// s.adminHandle.
func (s *Server) adminStoryRoutes(mux *http.ServeMux) {
	p := masthead.PermStories
	s.adminHandle(mux, "GET /admin/stories", p, s.handleEditorStories)
	s.adminHandle(mux, "GET /admin/stories/new", p, s.handleEditorStoryForm)
	s.adminHandle(mux, "POST /admin/stories/new", p, s.handleEditorStorySave)
	s.adminHandle(mux, "POST /admin/stories/preview", p, s.handleEditorPreview)
	s.adminHandle(mux, "GET /admin/stories/{id}", p, s.handleEditorStoryForm)
	s.adminHandle(mux, "POST /admin/stories/{id}", p, s.handleEditorStorySave)
	s.adminHandle(mux, "GET /admin/stories/{id}/revisions", p, s.handleEditorRevisions)
	s.adminHandle(mux, "POST /admin/stories/{id}/revisions/{rev}/restore", p, s.handleEditorRestore)
	s.adminHandle(mux, "GET /admin/sections", p, s.handleEditorSections)
	s.adminHandle(mux, "GET /admin/sections/new", p, s.handleEditorSectionForm)
	s.adminHandle(mux, "POST /admin/sections/new", p, s.handleEditorSectionSave)
	s.adminHandle(mux, "GET /admin/sections/{id}", p, s.handleEditorSectionForm)
	s.adminHandle(mux, "POST /admin/sections/{id}", p, s.handleEditorSectionSave)
	s.adminHandle(mux, "GET /admin/authors", p, s.handleEditorAuthors)
	s.adminHandle(mux, "GET /admin/authors/new", p, s.handleEditorAuthorForm)
	s.adminHandle(mux, "POST /admin/authors/new", p, s.handleEditorAuthorSave)
	s.adminHandle(mux, "GET /admin/authors/{id}", p, s.handleEditorAuthorForm)
	s.adminHandle(mux, "POST /admin/authors/{id}", p, s.handleEditorAuthorSave)
}

// editorLinks are the editor's pages on the staff home, for roles that
// may use them.
func (s *Server) editorLinks(a *masthead.Account) []pageLink {
	if s.cfg.Editor == nil || !a.Role.Can(masthead.PermStories) {
		return nil
	}
	return []pageLink{
		s.link("/admin/stories", "editor.nav.stories"),
		s.link("/admin/sections", "editor.nav.sections"),
		s.link("/admin/authors", "editor.nav.authors"),
	}
}

// redirectOldSlug answers a story that was not found with a 301 to the
// story's current slug when the slug is one it had before. It reports
// whether it answered. It runs only on the not-found path, so reading a
// story costs no extra query.
func (s *Server) redirectOldSlug(w http.ResponseWriter, r *http.Request, err error) bool {
	if s.cfg.Editor == nil || masthead.ErrorCode(err) != masthead.ENOTFOUND {
		return false
	}
	slug, rerr := s.cfg.Editor.ResolveSlug(r.Context(), r.PathValue("slug"))
	if rerr != nil || !masthead.ValidSlug(slug) {
		return false
	}
	target := "/stories/" + slug
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	// A story may take an old slug back, so browsers must not keep the
	// redirect for ever.
	w.Header()["Cache-Control"] = []string{"public, max-age=300"}
	w.Header()["Location"] = []string{target}
	w.WriteHeader(http.StatusMovedPermanently)
	return true
}

// editorView is the data of the editor's pages, as page.Staff.
type editorView struct {
	// The story list.
	Query         string
	StatusOptions []option
	Rows          []editorRow
	NextURL       string

	// The story form.
	Action         string
	New            bool
	StoryID        int64
	ViewURL        string
	SectionOptions []option
	AccessOptions  []option
	CommentChoices []choice
	StatusChoices  []choice
	Premoderated   bool
	Zone           string
	BodyFormat     string
	Preview        template.HTML
	ShowPreview    bool

	// The revisions.
	Revisions []revisionRow
	Compare   *compareView

	// Sections and authors.
	Sections []*masthead.Section
	Authors  []*masthead.Author
}

// choice is a radio button.
type choice struct {
	ID      string
	Value   string
	Label   string
	Checked bool
}

// editorRow is a story in the editor's list.
type editorRow struct {
	ID       int64
	Headline string
	Status   string
	Section  string
	Authors  string
	Updated  string
	ViewURL  string
}

// revisionRow is a revision in the list of a story's revisions.
type revisionRow struct {
	ID       int64
	Number   int
	Saved    string
	By       string
	Headline string
	Status   string
	From     bool
	To       bool
	Restore  string
}

// compareView is the comparison of two revisions.
type compareView struct {
	From, To int
	Changes  []changeRow
	Lines    []diffRow
	// BodySame is true when the bodies are the same.
	BodySame bool
}

// changeRow is a field that differs between two revisions.
type changeRow struct {
	Label  string
	Before string
	After  string
}

// diffRow is one line of a body diff.
type diffRow struct {
	Class  string
	Sign   string
	Said   string
	OldNum string
	NewNum string
	Text   string
}

// editorPage returns a staff page of the editor titled by the catalogue
// text of id.
func (s *Server) editorPage(r *http.Request, id string, args ...any) (*page, *editorView) {
	p := s.adminPage(r, id, args...)
	v := &editorView{}
	p.Staff = v
	return p, v
}

// pathID reads a positive integer path value.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// statusText says where a story is: a draft, scheduled for a time, or
// published at one.
func (s *Server) statusText(st *masthead.Story) string {
	switch {
	case st.Status == masthead.StatusDraft:
		return s.msg("editor.status.draft")
	case st.PublishedAt.After(s.now()):
		return s.msg("editor.status.scheduled_for", s.formatDateTime(st.PublishedAt))
	case st.PublishedAt.IsZero():
		return s.msg("editor.status." + string(st.Status))
	}
	return s.msg("editor.status.published_at", s.formatDateTime(st.PublishedAt))
}

// names joins the names of authors or tags with commas.
func authorNames(as []masthead.Author) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Name
	}
	return strings.Join(out, ", ")
}

func tagNames(ts []masthead.Tag) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return strings.Join(out, ", ")
}

// splitList splits a comma-separated list, dropping empty entries.
func splitList(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// handleEditorStories lists stories in every status, newest change first,
// filtered by status and headline.
func (s *Server) handleEditorStories(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	q := r.URL.Query()
	f := masthead.EditorFilter{
		Status: masthead.StoryStatus(q.Get("status")),
		Query:  strings.TrimSpace(q.Get("q")),
		After:  q.Get("after"),
		Limit:  s.cfg.PageSize,
	}
	if f.Status != "" && !f.Status.Valid() {
		f.Status = ""
	}
	if utf8.RuneCountInString(f.Query) > masthead.MaxSearchLen {
		s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", s.msg(string(masthead.MsgSearchQueryTooLong), masthead.MaxSearchLen)))
		return
	}
	list, err := s.cfg.Editor.FindEditorStories(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, v := s.editorPage(r, "editor.stories.heading")
	v.Query = f.Query
	v.StatusOptions = []option{{Value: "", Label: s.msg("editor.stories.any_status"), Selected: f.Status == ""}}
	for _, st := range []masthead.StoryStatus{masthead.StatusDraft, masthead.StatusScheduled, masthead.StatusPublished} {
		v.StatusOptions = append(v.StatusOptions, option{Value: string(st), Label: s.msg("editor.status." + string(st)), Selected: f.Status == st})
	}
	now := s.now()
	for _, st := range list.Stories {
		row := editorRow{ID: st.ID, Headline: st.Headline, Status: s.statusText(st), Section: st.Section.Name,
			Authors: authorNames(st.Authors), Updated: s.formatDateTime(st.UpdatedAt)}
		if st.Visible(now) {
			row.ViewURL = "/stories/" + st.Slug
		}
		v.Rows = append(v.Rows, row)
	}
	if list.Next != "" {
		next := url.Values{"after": {list.Next}}
		if f.Status != "" {
			next.Set("status", string(f.Status))
		}
		if f.Query != "" {
			next.Set("q", f.Query)
		}
		v.NextURL = "/admin/stories?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "admin_stories", p)
}

// storyForm returns the story form's fields. Selects, radios and the
// checkbox are fields too, so that what was posted comes back and their
// errors link to them.
func (s *Server) storyForm() *form {
	text := func(name, typ string, max int) *field {
		f := s.textField(name, "editor.story."+name, typ, "off")
		f.MaxLength = max
		return f
	}
	headline := text("headline", "text", masthead.MaxHeadlineLen)
	headline.Required = true
	slug := text("slug", "text", masthead.MaxSlugLen)
	slug.Hint = s.msg("editor.story.slug_hint")
	authors := text("authors", "text", 0)
	authors.Hint = s.msg("editor.story.authors_hint")
	tags := text("tags", "text", 0)
	tags.Hint = s.msg("editor.story.tags_hint")
	closeDays := text("comments_close_days", "text", 4)
	closeDays.Hint = s.msg("editor.story.comments_close_days_hint")
	publishAt := text("published_at", "datetime-local", 0)
	body := text("body", "textarea", 0)
	body.Hint = s.msg("editor.story.body_hint")
	return newForm("story-", headline, slug, text("dek", "textarea", masthead.MaxDekLen), body,
		text("section", "select", 0), authors, tags, text("access", "select", 0), text("comments", "radio", 0),
		closeDays, text("premoderated", "checkbox", 0), text("status", "radio", 0), publishAt)
}

// storyFormPage returns the form page for existing (nil for a new story),
// its fields empty.
func (s *Server) storyFormPage(r *http.Request, existing *masthead.Story) (*page, *editorView) {
	var p *page
	var v *editorView
	if existing == nil {
		p, v = s.editorPage(r, "editor.story.new_heading")
		v.Action, v.New = "/admin/stories/new", true
	} else {
		p, v = s.editorPage(r, "editor.story.edit_heading", existing.Headline)
		v.Action = "/admin/stories/" + strconv.FormatInt(existing.ID, 10)
		v.StoryID = existing.ID
		if existing.Visible(s.now()) {
			v.ViewURL = "/stories/" + existing.Slug
		}
	}
	p.Form = s.storyForm()
	v.BodyFormat = string(masthead.FormatMarkdown)
	if existing != nil && existing.BodyFormat.Valid() {
		v.BodyFormat = string(existing.BodyFormat)
	}
	v.Zone = s.cfg.TimeZone.String()
	p.Form.F["published_at"].Hint = s.msg("editor.story.published_at_hint", v.Zone)
	return p, v
}

// fillStoryForm puts a story's values into the form.
func (s *Server) fillStoryForm(f *form, st *masthead.Story) {
	set := func(name, value string) { f.F[name].Value = value }
	set("headline", st.Headline)
	set("slug", st.Slug)
	set("dek", st.Dek)
	set("body", st.Body)
	set("section", strconv.FormatInt(st.Section.ID, 10))
	set("authors", authorNames(st.Authors))
	set("tags", tagNames(st.Tags))
	set("access", string(st.Access))
	set("comments", string(st.Comments))
	set("comments_close_days", strconv.Itoa(st.CommentsCloseDays))
	if st.Premoderated {
		set("premoderated", "1")
	}
	set("status", string(st.Status))
	if !st.PublishedAt.IsZero() {
		set("published_at", st.PublishedAt.In(s.cfg.TimeZone).Format(scheduleLayout))
	}
}

// storyChoices fills in the form's selects, radios and checkbox from its
// values; sections lists the sections to choose from.
func (s *Server) storyChoices(p *page, v *editorView, sections []*masthead.Section) {
	f := p.Form.F
	val := func(name string) string { return f[name].Value }
	if val("section") == "" || val("section") == "0" {
		v.SectionOptions = append(v.SectionOptions, option{Value: "", Label: s.msg("editor.story.choose_section"), Selected: true})
	}
	for _, sec := range sections {
		id := strconv.FormatInt(sec.ID, 10)
		v.SectionOptions = append(v.SectionOptions, option{Value: id, Label: sec.Name, Selected: id == val("section")})
	}
	for _, acc := range []masthead.Access{masthead.AccessFree, masthead.AccessMetered, masthead.AccessPremium} {
		v.AccessOptions = append(v.AccessOptions, option{Value: string(acc), Label: s.msg("access." + string(acc)), Selected: string(acc) == val("access")})
	}
	radios := func(name string, values ...string) []choice {
		var out []choice
		for i, value := range values {
			id := f[name].ID
			if i > 0 {
				id += "-" + value
			}
			out = append(out, choice{ID: id, Value: value, Label: s.msg("editor.story." + name + "." + value), Checked: value == val(name)})
		}
		return out
	}
	v.CommentChoices = radios("comments", string(masthead.CommentsOpen), string(masthead.CommentsClosed))
	v.StatusChoices = radios("status", string(masthead.StatusDraft), string(masthead.StatusScheduled), string(masthead.StatusPublished))
	v.Premoderated = val("premoderated") != ""
}

// handleEditorStoryForm shows the form for a new story or for editing one.
func (s *Server) handleEditorStoryForm(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	ctx := r.Context()
	var existing *masthead.Story
	if r.PathValue("id") != "" {
		id, ok := pathID(r, "id")
		if !ok {
			s.handleNotFound(w, r)
			return
		}
		var err error
		if existing, err = s.cfg.Editor.FindStoryByID(ctx, id); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	sections, err := s.stories.FindSections(ctx)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, v := s.storyFormPage(r, existing)
	if existing != nil {
		s.fillStoryForm(p.Form, existing)
	} else {
		f := p.Form.F
		f["access"].Value = string(masthead.AccessMetered)
		f["comments"].Value = string(masthead.CommentsOpen)
		f["comments_close_days"].Value = "0"
		f["status"].Value = string(masthead.StatusDraft)
	}
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = s.msg("editor.story.saved")
	}
	s.storyChoices(p, v, sections)
	s.render(w, r, http.StatusOK, "admin_story", p)
}

// storyFromForm reads the posted story form into a story based on
// existing (nil for a new one), recording in f what is wrong with it.
func (s *Server) storyFromForm(r *http.Request, existing *masthead.Story, f *form) *masthead.Story {
	st := &masthead.Story{BodyFormat: masthead.FormatMarkdown}
	if existing != nil {
		st.ID, st.BodyFormat, st.PublishedAt = existing.ID, existing.BodyFormat, existing.PublishedAt
	}
	v := func(name string) string { return r.PostFormValue(name) }
	st.Headline, st.Slug, st.Dek, st.Body = v("headline"), v("slug"), v("dek"), v("body")
	if id, err := strconv.ParseInt(v("section"), 10, 64); err == nil && id > 0 {
		st.Section.ID = id
	} else {
		f.invalid("section", s.msg(string(masthead.MsgSectionRequired)))
	}
	for _, name := range splitList(v("authors")) {
		st.Authors = append(st.Authors, masthead.Author{Name: name})
	}
	for _, name := range splitList(v("tags")) {
		st.Tags = append(st.Tags, masthead.Tag{Name: name})
	}
	st.Access = masthead.Access(v("access"))
	st.Comments = masthead.CommentsMode(v("comments"))
	if days := strings.TrimSpace(v("comments_close_days")); days != "" {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > masthead.MaxCommentsCloseDays {
			f.invalid("comments_close_days", s.msg(string(masthead.MsgEditorCloseDaysInvalid), masthead.MaxCommentsCloseDays))
		}
		st.CommentsCloseDays = n
	}
	st.Premoderated = v("premoderated") != ""
	now := s.now()
	switch masthead.StoryStatus(v("status")) {
	case masthead.StatusDraft:
		st.Status = masthead.StatusDraft
	case masthead.StatusPublished:
		st.Status = masthead.StatusPublished
		// Publishing now; a story already out keeps its time.
		if existing == nil || !existing.Visible(now) {
			st.PublishedAt = now
		}
	case masthead.StatusScheduled:
		st.Status = masthead.StatusScheduled
		at, err := parseSchedule(v("published_at"), s.cfg.TimeZone)
		switch {
		case err != nil:
			f.invalid("published_at", s.msg("editor.story.published_at_invalid"))
		case existing != nil && existing.Status == masthead.StatusScheduled &&
			existing.PublishedAt.In(s.cfg.TimeZone).Format(scheduleLayout) == at.Format(scheduleLayout):
			// The schedule is unchanged (even if its time has passed).
			st.PublishedAt = existing.PublishedAt
		case !at.After(now):
			f.invalid("published_at", s.msg("editor.story.published_at_past"))
		default:
			st.PublishedAt = at
		}
	default:
		f.invalid("status", s.msg("editor.story.status_required"))
	}
	return st
}

// handleEditorStorySave saves the posted story form, or, for the Preview
// button, shows it again with the body rendered and nothing saved. A
// refused form comes back with everything typed.
func (s *Server) handleEditorStorySave(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	var existing *masthead.Story
	if r.PathValue("id") != "" {
		id, ok := pathID(r, "id")
		if !ok {
			s.handleNotFound(w, r)
			return
		}
		var err error
		if existing, err = s.cfg.Editor.FindStoryByID(ctx, id); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	sections, err := s.stories.FindSections(ctx)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, v := s.storyFormPage(r, existing)
	p.Form.fill(r)
	s.storyChoices(p, v, sections)
	st := s.storyFromForm(r, existing, p.Form)

	if r.PostFormValue("preview") != "" {
		// The preview shows the body only; the rest is checked on save.
		p.Form.Errors, p.Form.Error = nil, ""
		for _, f := range p.Form.F {
			f.Error = ""
		}
		if s.cfg.Renderer != nil {
			html, err := s.cfg.Renderer.RenderBody(st.BodyFormat, st.Body)
			if err != nil {
				s.Error(w, r, err)
				return
			}
			v.Preview, v.ShowPreview = template.HTML(html), true
		}
		p.Notice = s.msg("editor.story.preview_notice")
		s.render(w, r, http.StatusOK, "admin_story", p)
		return
	}
	if len(p.Form.Errors) > 0 {
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, http.StatusBadRequest, "admin_story", p)
		return
	}
	if err := s.cfg.Editor.SaveStoryEdit(ctx, s.actor(r, a), st); err != nil {
		s.refuse(w, r, 0, "admin_story", p, p.Form, err)
		return
	}
	s.redirect(w, r, "/admin/stories/"+strconv.FormatInt(st.ID, 10)+"?done=saved")
}

// handleEditorPreview renders a posted body to the sanitised HTML the
// story page would show, as a fragment, for editor.js's live preview.
func (s *Server) handleEditorPreview(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	if s.cfg.Renderer == nil {
		s.handleNotFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	format := masthead.BodyFormat(r.PostFormValue("body_format"))
	if format == "" {
		format = masthead.FormatMarkdown
	}
	if !format.Valid() {
		s.Error(w, r, masthead.FieldError("body_format", s.msg(string(masthead.MsgFormatInvalid), format)))
		return
	}
	html, err := s.cfg.Renderer.RenderBody(format, r.PostFormValue("body"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.write(w, http.StatusOK, "text/html; charset=utf-8", []byte(html))
}

// handleEditorRevisions lists a story's revisions and compares two of
// them: ?from= and ?to= (revision IDs), by default the two newest.
func (s *Server) handleEditorRevisions(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	ctx := r.Context()
	id, ok := pathID(r, "id")
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	st, err := s.cfg.Editor.FindStoryByID(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	revs, err := s.cfg.Editor.StoryRevisions(ctx, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var from, to *masthead.StoryRevision
	find := func(param string) (*masthead.StoryRevision, bool) {
		v := r.URL.Query().Get(param)
		if v == "" {
			return nil, true
		}
		rid, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, false
		}
		i := slices.IndexFunc(revs, func(rv *masthead.StoryRevision) bool { return rv.ID == rid })
		if i < 0 {
			return nil, false
		}
		return revs[i], true
	}
	var okFrom, okTo bool
	from, okFrom = find("from")
	to, okTo = find("to")
	if !okFrom || !okTo {
		s.Error(w, r, masthead.Errorf(masthead.ENOTFOUND, "%s", s.msg(string(masthead.MsgRevisionNotFound))))
		return
	}
	if len(revs) >= 2 {
		if to == nil {
			to = revs[0]
		}
		if from == nil {
			from = revs[1]
			if from == to {
				from = revs[0]
			}
		}
	}
	p, v := s.editorPage(r, "editor.revisions.heading", st.Headline)
	v.StoryID = id
	base := "/admin/stories/" + strconv.FormatInt(id, 10)
	for i, rv := range revs {
		row := revisionRow{ID: rv.ID, Number: rv.Number, Saved: s.formatDateTime(rv.CreatedAt), By: rv.ActorName,
			Headline: rv.Story.Headline, Status: s.statusText(rv.Story),
			From: from != nil && from.ID == rv.ID, To: to != nil && to.ID == rv.ID}
		if row.By == "" {
			row.By = s.msg("editor.revisions.by_system")
		}
		if i > 0 {
			row.Restore = base + "/revisions/" + strconv.FormatInt(rv.ID, 10) + "/restore"
		}
		v.Revisions = append(v.Revisions, row)
	}
	if from != nil && to != nil {
		v.Compare = s.compare(from, to)
	}
	if r.URL.Query().Get("done") == "restored" {
		p.Notice = s.msg("editor.revisions.restored")
	}
	s.render(w, r, http.StatusOK, "admin_story_revisions", p)
}

// compare returns what changed from one revision to another: the fields,
// with their values, and the body line by line.
func (s *Server) compare(from, to *masthead.StoryRevision) *compareView {
	c := &compareView{From: from.Number, To: to.Number, BodySame: from.Story.Body == to.Story.Body}
	a, b := from.Story, to.Story
	for _, name := range masthead.ChangedFields(a, b) {
		if name == masthead.FieldBody {
			continue
		}
		c.Changes = append(c.Changes, changeRow{
			Label: s.msg("editor.story." + name), Before: s.fieldText(a, name), After: s.fieldText(b, name),
		})
	}
	if !c.BodySame {
		for _, d := range masthead.DiffLines(a.Body, b.Body) {
			row := diffRow{Text: d.Text}
			if d.OldNum > 0 {
				row.OldNum = strconv.Itoa(d.OldNum)
			}
			if d.NewNum > 0 {
				row.NewNum = strconv.Itoa(d.NewNum)
			}
			switch d.Op {
			case masthead.DiffInsert:
				row.Class, row.Sign, row.Said = "diff-ins", "+", s.msg("editor.diff.added")
			case masthead.DiffDelete:
				row.Class, row.Sign, row.Said = "diff-del", "−", s.msg("editor.diff.removed")
			default:
				row.Class = "diff-eq"
			}
			c.Lines = append(c.Lines, row)
		}
	}
	return c
}

// fieldText is a story field's value as the comparison shows it.
func (s *Server) fieldText(st *masthead.Story, name string) string {
	switch name {
	case masthead.FieldHeadline:
		return st.Headline
	case masthead.FieldSlug:
		return st.Slug
	case masthead.FieldDek:
		return st.Dek
	case masthead.FieldSection:
		return st.Section.Name
	case masthead.FieldAuthors:
		return authorNames(st.Authors)
	case masthead.FieldTags:
		return tagNames(st.Tags)
	case masthead.FieldAccess:
		return s.msg("access." + string(st.Access))
	case masthead.FieldComments:
		return s.msg("editor.story.comments." + string(st.Comments))
	case masthead.FieldCommentsCloseDays:
		return strconv.Itoa(st.CommentsCloseDays)
	case masthead.FieldPremoderated:
		if st.Premoderated {
			return s.msg("editor.yes")
		}
		return s.msg("editor.no")
	case masthead.FieldStatus:
		return s.msg("editor.status." + string(st.Status))
	case masthead.FieldPublishedAt:
		if st.PublishedAt.IsZero() {
			return s.msg("editor.none")
		}
		return s.formatDateTime(st.PublishedAt)
	}
	return ""
}

// handleEditorRestore saves a revision's content as the story's newest
// revision.
func (s *Server) handleEditorRestore(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	id, ok1 := pathID(r, "id")
	rev, ok2 := pathID(r, "rev")
	if !ok1 || !ok2 {
		s.handleNotFound(w, r)
		return
	}
	if _, err := s.cfg.Editor.RestoreRevision(r.Context(), s.actor(r, a), id, rev); err != nil {
		s.Error(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/stories/"+strconv.FormatInt(id, 10)+"/revisions?done=restored")
}

// handleEditorSections lists the sections in navigation order.
func (s *Server) handleEditorSections(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	sections, err := s.stories.FindSections(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, v := s.editorPage(r, "editor.sections.heading")
	v.Sections = sections
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = s.msg("editor.sections.saved")
	}
	s.render(w, r, http.StatusOK, "admin_story_sections", p)
}

// sectionForm returns the section form.
func (s *Server) sectionForm() *form {
	name := s.textField("name", "editor.section.name", "text", "off")
	name.Required, name.MaxLength = true, masthead.MaxEditorNameLen
	slug := s.textField("slug", "editor.section.slug", "text", "off")
	slug.Hint, slug.MaxLength = s.msg("editor.section.slug_hint"), masthead.MaxSlugLen
	desc := s.textField("description", "editor.section.description", "textarea", "off")
	desc.MaxLength = masthead.MaxSectionDescriptionLen
	pos := s.textField("position", "editor.section.position", "text", "off")
	pos.Hint = s.msg("editor.section.position_hint")
	return newForm("section-", name, slug, desc, pos)
}

// findSection returns the section of the path's id (nil for none), or
// answers 404.
func (s *Server) findSection(w http.ResponseWriter, r *http.Request) (*masthead.Section, bool) {
	return findByPathID(s, w, r, s.stories.FindSections,
		func(sec *masthead.Section) int64 { return sec.ID }, masthead.MsgSectionNotFound)
}

// findByPathID returns the item of load's list whose ID is the path's
// {id} — the zero T when the route has none — or answers 404 itself.
func findByPathID[T any](s *Server, w http.ResponseWriter, r *http.Request, load func(context.Context) ([]T, error),
	idOf func(T) int64, notFound masthead.MessageID) (T, bool) {
	var zero T
	if r.PathValue("id") == "" {
		return zero, true
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.handleNotFound(w, r)
		return zero, false
	}
	items, err := load(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return zero, false
	}
	i := slices.IndexFunc(items, func(it T) bool { return idOf(it) == id })
	if i < 0 {
		s.Error(w, r, masthead.Errorf(masthead.ENOTFOUND, "%s", s.msg(string(notFound))))
		return zero, false
	}
	return items[i], true
}

// sectionFormPage returns the form page for sec (nil for a new section).
func (s *Server) sectionFormPage(r *http.Request, sec *masthead.Section) *page {
	if sec == nil {
		return s.namedFormPage(r, "section", 0, "", s.sectionForm())
	}
	return s.namedFormPage(r, "section", sec.ID, sec.Name, s.sectionForm())
}

// namedFormPage returns the form page of a section or an author (kind):
// a new one when id is 0, else the one of id, called name. Its headings
// are the catalogue's editor.KIND.new_heading and editor.KIND.edit_heading,
// and it posts to /admin/KINDs/new or /admin/KINDs/ID.
func (s *Server) namedFormPage(r *http.Request, kind string, id int64, name string, f *form) *page {
	var p *page
	var v *editorView
	if id == 0 {
		p, v = s.editorPage(r, "editor."+kind+".new_heading")
		v.Action, v.New = "/admin/"+kind+"s/new", true
	} else {
		p, v = s.editorPage(r, "editor."+kind+".edit_heading", name)
		v.Action = "/admin/" + kind + "s/" + strconv.FormatInt(id, 10)
	}
	p.Form = f
	return p
}

// handleEditorSectionForm shows the form for a new section or for one.
func (s *Server) handleEditorSectionForm(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	sec, ok := s.findSection(w, r)
	if !ok {
		return
	}
	p := s.sectionFormPage(r, sec)
	f := p.Form.F
	if sec != nil {
		f["name"].Value, f["slug"].Value, f["description"].Value = sec.Name, sec.Slug, sec.Description
		f["position"].Value = strconv.Itoa(sec.Position)
	} else {
		f["position"].Value = "0"
	}
	s.render(w, r, http.StatusOK, "admin_story_section", p)
}

// handleEditorSectionSave creates or updates a section.
func (s *Server) handleEditorSectionSave(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	if !s.parseForm(w, r) {
		return
	}
	existing, ok := s.findSection(w, r)
	if !ok {
		return
	}
	p := s.sectionFormPage(r, existing)
	p.Form.fill(r)
	sec := &masthead.Section{Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug"), Description: r.PostFormValue("description")}
	if existing != nil {
		sec.ID = existing.ID
	}
	if v := strings.TrimSpace(r.PostFormValue("position")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			p.Form.invalid("position", s.msg(string(masthead.MsgEditorPositionInvalid)))
		}
		sec.Position = n
	}
	if len(p.Form.Errors) > 0 {
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, http.StatusBadRequest, "admin_story_section", p)
		return
	}
	if err := s.cfg.Editor.SaveSectionEdit(r.Context(), s.actor(r, a), sec); err != nil {
		s.refuse(w, r, 0, "admin_story_section", p, p.Form, err)
		return
	}
	s.redirect(w, r, "/admin/sections?done=saved")
}

// handleEditorAuthors lists the authors by name.
func (s *Server) handleEditorAuthors(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	authors, err := s.cfg.Editor.FindAuthors(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, v := s.editorPage(r, "editor.authors.heading")
	v.Authors = authors
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = s.msg("editor.authors.saved")
	}
	s.render(w, r, http.StatusOK, "admin_story_authors", p)
}

// authorForm returns the author form.
func (s *Server) authorForm() *form {
	name := s.textField("name", "editor.author.name", "text", "off")
	name.Required, name.MaxLength = true, masthead.MaxEditorNameLen
	slug := s.textField("slug", "editor.author.slug", "text", "off")
	slug.Hint, slug.MaxLength = s.msg("editor.author.slug_hint"), masthead.MaxSlugLen
	bio := s.textField("bio", "editor.author.bio", "textarea", "off")
	bio.MaxLength = masthead.MaxAuthorBioLen
	return newForm("author-", name, slug, bio)
}

// findAuthor returns the author of the path's id (nil for none), or
// answers 404.
func (s *Server) findAuthor(w http.ResponseWriter, r *http.Request) (*masthead.Author, bool) {
	return findByPathID(s, w, r, s.cfg.Editor.FindAuthors,
		func(au *masthead.Author) int64 { return au.ID }, masthead.MsgAuthorNotFound)
}

// authorFormPage returns the form page for au (nil for a new author).
func (s *Server) authorFormPage(r *http.Request, au *masthead.Author) *page {
	if au == nil {
		return s.namedFormPage(r, "author", 0, "", s.authorForm())
	}
	return s.namedFormPage(r, "author", au.ID, au.Name, s.authorForm())
}

// handleEditorAuthorForm shows the form for a new author or for one.
func (s *Server) handleEditorAuthorForm(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	au, ok := s.findAuthor(w, r)
	if !ok {
		return
	}
	p := s.authorFormPage(r, au)
	if au != nil {
		f := p.Form.F
		f["name"].Value, f["slug"].Value, f["bio"].Value = au.Name, au.Slug, au.Bio
	}
	s.render(w, r, http.StatusOK, "admin_story_author", p)
}

// handleEditorAuthorSave creates or updates an author.
func (s *Server) handleEditorAuthorSave(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	if !s.parseForm(w, r) {
		return
	}
	existing, ok := s.findAuthor(w, r)
	if !ok {
		return
	}
	p := s.authorFormPage(r, existing)
	p.Form.fill(r)
	au := &masthead.Author{Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug"), Bio: r.PostFormValue("bio")}
	if existing != nil {
		au.ID = existing.ID
	}
	if err := s.cfg.Editor.SaveAuthorEdit(r.Context(), s.actor(r, a), au); err != nil {
		s.refuse(w, r, 0, "admin_story_author", p, p.Form, err)
		return
	}
	s.redirect(w, r, "/admin/authors?done=saved")
}
