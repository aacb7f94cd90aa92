package web

import (
	"net/http"
	"time"

	"masthead"
)

// giftView is a gift link as its pages show it.
type giftView struct {
	URL      string
	Headline string
	Slug     string
	// Expires is when the link stops working; Expired is true once it has.
	Expires    string
	ExpiresISO string
	Expired    bool
	Created    string
	Opens      string
	// Explains says what the new link does.
	Explains string
	// Links are the account's gift links, on /account/gifts.
	Links []giftView
}

// giftLinkURL is the full address of a gift link.
func (s *Server) giftLinkURL(slug, token string) string {
	return s.absURL("/stories/" + slug + "?gift=" + queryEscape(token))
}

// handleCreateGift creates a gift link to a story for a subscriber whose
// plan includes gift links and the story (a premium story needs a plan
// with read_premium: EFORBIDDEN otherwise), and shows it to be copied. When this period's
// links are used up, it says when more become available.
func (s *Server) handleCreateGift(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	a, _ := s.viewer(r)
	if a == nil {
		if ri := requestInfoFrom(r.Context()); ri != nil && ri.authErr != nil {
			s.Error(w, r, ri.authErr)
			return
		}
		s.redirect(w, r, "/signin?next="+queryEscape("/stories/"+slug))
		return
	}
	ctx := r.Context()
	st, err := s.cache.findStory(ctx, slug)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if st.Access == masthead.AccessFree {
		s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", masthead.MsgIn(s.cfg.Locale, masthead.MsgGiftStoryNotGiftable)))
		return
	}
	plan, _, err := s.subs.EffectivePlan(ctx, a.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	limit := plan.Entitlements.GiftLinksPerMonth
	if limit <= 0 {
		s.Error(w, r, masthead.Errorf(masthead.EFORBIDDEN, "%s", masthead.MsgIn(s.cfg.Locale, masthead.MsgGiftLinksNotIncluded)))
		return
	}
	// A giver may give only what their own plan lets them read: the
	// access rule without their meter (a metered story is theirs to give
	// while their plan puts it on a meter) and without staff rights.
	if d := masthead.DecideRead(st.Access, masthead.Reader{Entitlements: plan.Entitlements}); !d.Allowed && d.Meter == nil {
		s.Error(w, r, masthead.Errorf(masthead.EFORBIDDEN, "%s", masthead.MsgIn(s.cfg.Locale, masthead.MsgGiftStoryNotReadable)))
		return
	}
	start, end := masthead.MeterPeriod(a.CreatedAt, s.now(), s.cfg.TimeZone)
	link, err := s.gifts.CreateGiftLink(ctx, a.ID, st.Slug, limit, start, end, s.cfg.GiftLinkLifetime)
	p := s.newPage(r)
	p.NoIndex = true
	p.Heading = s.msg("gift.heading")
	s.setTitle(p, p.Heading)
	p.Description = p.Heading
	p.Gift = &giftView{Headline: st.Headline, Slug: st.Slug}
	p.Form = newForm("gift-")
	if err != nil {
		switch masthead.ErrorCode(err) {
		case masthead.EFORBIDDEN:
			p.Form.invalid("", masthead.MsgIn(s.cfg.Locale, masthead.MsgGiftLinksSpent, limit, s.formatDate(end)))
		case masthead.EINVALID, masthead.ENOTFOUND, masthead.ECONFLICT:
			p.Form.fail(err)
		default:
			s.Error(w, r, err)
			return
		}
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, ErrorStatus(masthead.ErrorCode(err)), "gift", p)
		return
	}
	p.Gift.URL = s.giftLinkURL(st.Slug, link.Token)
	p.Gift.Expires = s.formatDate(link.ExpiresAt)
	p.Gift.ExpiresISO = link.ExpiresAt.UTC().Format(time.RFC3339)
	p.Gift.Explains = s.msg("gift.explains", st.Headline, p.Gift.Expires)
	s.render(w, r, http.StatusOK, "gift", p)
}

// handleGifts lists the account's gift links: when each expires and how
// often it was opened.
func (s *Server) handleGifts(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	links, err := s.gifts.GiftLinks(r.Context(), a.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := s.accountPage(r, a, "gifts")
	p.Gift = &giftView{}
	now := s.now()
	for _, l := range links {
		v := giftView{
			Expires:    s.formatDate(l.ExpiresAt),
			ExpiresISO: l.ExpiresAt.UTC().Format(time.RFC3339),
			Expired:    !now.Before(l.ExpiresAt),
			Created:    s.formatDate(l.CreatedAt),
			Opens:      s.msg("gift.opens", l.Opens),
		}
		if l.Opens == 1 {
			v.Opens = s.msg("gift.opened_once")
		}
		if l.Story != nil {
			v.Headline, v.Slug = l.Story.Headline, l.Story.Slug
		}
		p.Gift.Links = append(p.Gift.Links, v)
	}
	s.render(w, r, http.StatusOK, "gifts", p)
}
