package web

import (
	"errors"
	"io"
	"log/slog"
	"net/http"

	"masthead"
)

// MaxWebhookBytes bounds the body of a Stripe webhook.
const MaxWebhookBytes = 1 << 20

// webhookReceived is the answer to a webhook that was taken.
type webhookReceived struct {
	Received bool `json:"received"`
}

// handleStripeWebhook verifies a Stripe event's signature and applies it.
// A bad, stale or unreadable event gets 400 and changes nothing; an event
// seen before gets 200 and changes nothing; a failure to store it gets 500,
// so that Stripe delivers it again.
func (s *Server) handleStripeWebhook(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBytes))
	if err != nil {
		status := http.StatusBadRequest
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		s.writeJSON(w, status, apiErrorBody{Error: apiError{Code: masthead.EINVALID, Message: s.msg("webhook.unreadable")}})
		return
	}
	ev, err := s.billing.ParseWebhook(body, r.Header.Get("Stripe-Signature"))
	if err != nil {
		s.logger.LogAttrs(ctx, slog.LevelWarn, "refuse stripe webhook",
			slog.String("request_id", RequestID(ctx)),
			slog.String("error", err.Error()))
		s.writeJSON(w, http.StatusBadRequest, apiErrorBody{Error: apiError{Code: masthead.EINVALID, Message: s.msg("webhook.invalid")}})
		return
	}
	applied, err := s.subs.ApplyStripeEvent(ctx, ev)
	if err != nil {
		s.logger.LogAttrs(ctx, slog.LevelError, "apply stripe event",
			slog.String("request_id", RequestID(ctx)),
			slog.String("event", ev.ID),
			slog.String("type", ev.Type),
			slog.String("error", err.Error()))
		s.writeJSON(w, http.StatusInternalServerError, apiErrorBody{Error: apiError{
			Code:    masthead.EINTERNAL,
			Message: masthead.MsgIn(s.cfg.Locale, masthead.MsgInternalError),
		}})
		return
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "stripe event",
		slog.String("request_id", RequestID(ctx)),
		slog.String("event", ev.ID),
		slog.String("type", ev.Type),
		slog.Bool("applied", applied))
	s.writeJSON(w, http.StatusOK, webhookReceived{Received: true})
}
