package web

import (
	"net/http"
	"strconv"
	"time"

	"masthead"
)

// apiErrorBody is the JSON error response: {"error":{"code","message"}}.
type apiErrorBody struct {
	Error apiError `json:"error"`
}

// apiError is an error's code, its message for people and, for an error
// about one field of a request, the field's name.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// apiRef is a section, author or tag as the API shows it.
type apiRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// apiStory is a story as the API shows it. BodyHTML is only filled in for a
// single story.
type apiStory struct {
	Slug         string   `json:"slug"`
	Headline     string   `json:"headline"`
	Dek          string   `json:"dek"`
	Section      apiRef   `json:"section"`
	Authors      []apiRef `json:"authors"`
	Tags         []apiRef `json:"tags"`
	Access       string   `json:"access"`
	Comments     string   `json:"comments"`
	CommentCount int      `json:"comment_count"`
	PublishedAt  string   `json:"published_at"`
	UpdatedAt    string   `json:"updated_at"`
	URL          string   `json:"url"`
	BodyHTML     string   `json:"body_html,omitempty"`
	// Readable, Meter and TeaserHTML are for a single story, as its
	// viewer may read it: a story the viewer may not read has no
	// body_html, only its teaser.
	Readable   *bool     `json:"readable,omitempty"`
	Meter      *apiMeter `json:"meter,omitempty"`
	TeaserHTML string    `json:"teaser_html,omitempty"`
}

// apiMeter is the viewer's meter on a metered story.
type apiMeter struct {
	Used      int       `json:"used"`
	Limit     int       `json:"limit"`
	Remaining int       `json:"remaining"`
	PeriodEnd time.Time `json:"period_end"`
}

// apiStoryList is one page of stories; Next continues the list.
type apiStoryList struct {
	Stories []apiStory `json:"stories"`
	Next    string     `json:"next,omitempty"`
}

// toAPIStory converts a story for the API.
func (s *Server) toAPIStory(st *masthead.Story, withBody bool) apiStory {
	out := apiStory{
		Slug:         st.Slug,
		Headline:     st.Headline,
		Dek:          st.Dek,
		Section:      apiRef{Slug: st.Section.Slug, Name: st.Section.Name},
		Authors:      make([]apiRef, len(st.Authors)),
		Tags:         make([]apiRef, len(st.Tags)),
		Access:       string(st.Access),
		Comments:     string(st.Comments),
		CommentCount: st.CommentCount,
		PublishedAt:  st.PublishedAt.UTC().Format(time.RFC3339),
		UpdatedAt:    lastModified(st).UTC().Format(time.RFC3339),
		URL:          s.absURL("/stories/" + st.Slug),
	}
	for i, a := range st.Authors {
		out.Authors[i] = apiRef{Slug: a.Slug, Name: a.Name}
	}
	for i, t := range st.Tags {
		out.Tags[i] = apiRef{Slug: t.Slug, Name: t.Name}
	}
	if withBody {
		out.BodyHTML = st.BodyHTML
	}
	return out
}

// handleAPIStories returns a page of visible stories, newest first.
// ?limit= sets the page size (1 to MaxAPILimit) and ?after= continues from
// the previous page's next cursor.
func (s *Server) handleAPIStories(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	limit := s.cfg.PageSize
	if v := query.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxAPILimit {
			s.Error(w, r, masthead.FieldError("limit", s.msg("api.limit_invalid", MaxAPILimit)))
			return
		}
		limit = n
	}
	after, err := masthead.ParseStoryCursor(query.Get("after"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, err := s.cache.findStories(r.Context(), masthead.StoryFilter{After: after, Limit: limit})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := apiStoryList{Stories: make([]apiStory, len(list.Stories))}
	for i, st := range list.Stories {
		out.Stories[i] = s.toAPIStory(st, false)
	}
	if list.Next != nil {
		out.Next = list.Next.Encode()
	}
	s.writeJSON(w, http.StatusOK, out)
}

// handleAPIStory returns one visible story with its body, if the viewer may
// read it (which, for a metered story, counts on their meter as the page
// does), and otherwise with its teaser.
func (s *Server) handleAPIStory(w http.ResponseWriter, r *http.Request) {
	st, err := s.cache.findStory(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	rs, err := s.decideRead(w, r, st)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	allowed := rs.decision.Allowed
	out := s.toAPIStory(st, allowed)
	out.Readable = &allowed
	if m := rs.decision.Meter; m != nil && m.Limit != masthead.Unlimited {
		out.Meter = &apiMeter{Used: m.Used, Limit: m.Limit, Remaining: m.Remaining(), PeriodEnd: m.PeriodEnd.UTC()}
	}
	if !allowed {
		e, err := s.sections.get(r.Context())
		if err != nil {
			s.Error(w, r, err)
			return
		}
		out.TeaserHTML = e.frags.teaser(st)
	}
	if s.plans != nil && st.Access != masthead.AccessFree {
		privateNoStore(w)
	}
	s.writeJSON(w, http.StatusOK, out)
}
