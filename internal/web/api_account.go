package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"masthead"
)

// apiMe is the signed-in account as the API shows it.
type apiMe struct {
	ID            int64  `json:"id"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	Role          string `json:"role"`
	DisplayName   string `json:"display_name"`
	About         string `json:"about"`
	ReplyEmails   bool   `json:"reply_emails"`
	// NextNameChange is when the display name may next change; absent if
	// it may now.
	NextNameChange time.Time `json:"next_name_change,omitzero"`
	// DeletionDueAt is when a requested deletion takes effect; absent if
	// none is pending.
	DeletionDueAt time.Time `json:"deletion_due_at,omitzero"`
	CreatedAt     time.Time `json:"created_at"`

	// Plan, Entitlements and Subscription are the account's effective
	// plan, what it allows, and its subscription (null when it has none,
	// or when plans are off).
	Plan         *apiPlanRef            `json:"plan"`
	Entitlements *masthead.Entitlements `json:"entitlements"`
	Subscription *apiSubscription       `json:"subscription"`
}

// apiPlanRef names a plan.
type apiPlanRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// apiSubscription is a subscription as the API shows it.
type apiSubscription struct {
	Status           string    `json:"status"`
	CurrentPeriodEnd time.Time `json:"current_period_end,omitzero"`
}

// addPlan fills in the account's plan, entitlements and subscription.
func (s *Server) addPlan(ctx context.Context, me *apiMe) error {
	if s.subs == nil {
		return nil
	}
	plan, sub, err := s.subs.EffectivePlan(ctx, me.ID)
	if err != nil {
		return err
	}
	me.Plan = &apiPlanRef{Slug: plan.Slug, Name: plan.Name}
	e := plan.Entitlements
	me.Entitlements = &e
	if sub != nil {
		me.Subscription = &apiSubscription{Status: string(sub.Status), CurrentPeriodEnd: sub.CurrentPeriodEnd.UTC()}
	}
	return nil
}

// toAPIMe converts an account for the API.
func (s *Server) toAPIMe(a *masthead.Account) apiMe {
	return apiMe{
		ID:             a.ID,
		Email:          a.Email,
		EmailVerified:  a.EmailVerified(),
		Role:           string(a.Role),
		DisplayName:    a.DisplayName,
		About:          a.About,
		ReplyEmails:    a.ReplyEmails,
		NextNameChange: a.NextNameChange(s.now(), s.cfg.AccountSettings.DisplayNameChangeInterval).UTC(),
		DeletionDueAt:  a.DeletionDueAt.UTC(),
		CreatedAt:      a.CreatedAt.UTC(),
	}
}

// handleAPIMe returns the signed-in account, or a 401 error.
func (s *Server) handleAPIMe(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	me := s.toAPIMe(a)
	if err := s.addPlan(r.Context(), &me); err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, me)
}

// apiProfile is the body of PATCH /api/v1/me/profile; a member left out
// keeps its current value.
type apiProfile struct {
	DisplayName *string `json:"display_name"`
	About       *string `json:"about"`
}

// handleAPIProfile sets the display name and about line under the same
// rules, and with the same errors, as the Profile section, and returns the
// updated account.
func (s *Server) handleAPIProfile(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.requireViewer(w, r)
	if !ok {
		return
	}
	var in apiProfile
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(&in)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("trailing data")
	}
	if err != nil {
		s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", s.msg("api.profile_body_invalid")))
		return
	}
	name, about := a.DisplayName, a.About
	if in.DisplayName != nil {
		name = *in.DisplayName
	}
	if in.About != nil {
		about = *in.About
	}
	updated, err := s.accounts.SetProfile(r.Context(), a.ID, name, about)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	me := s.toAPIMe(updated)
	if err := s.addPlan(r.Context(), &me); err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, me)
}
