package mail

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"masthead"
)

// maxReason is the longest failure reason recorded in the outbox, in bytes.
const maxReason = 1000

// Worker sends the messages of the outbox. Any number of workers (one per
// instance) may work one outbox: each message is leased to one of them
// while it is being sent.
//
// A message that fails is tried again after a back-off that doubles with
// every attempt (see Config.MaxAttempts), and given up on after
// MaxAttempts attempts or at once after a permanent failure
// (ErrPermanent). The worker reads OutboxMessage.Attempts as the number of
// attempts made before the current one. Delivery is at least once: a
// message whose sending succeeded but could not be recorded is sent again
// when its lease ends (with the same Message-ID).
type Worker struct {
	cfg    Config
	outbox masthead.OutboxService
	sender Sender
	wake   chan struct{}
}

// NewWorker returns a worker that sends outbox's messages with sender (a
// log sender writing to cfg.Logger if sender is nil).
func NewWorker(cfg Config, outbox masthead.OutboxService, sender Sender) *Worker {
	cfg = cfg.withDefaults()
	if sender == nil {
		sender = NewLogSender(cfg.Logger)
	}
	return &Worker{cfg: cfg, outbox: outbox, sender: sender, wake: make(chan struct{}, 1)}
}

// Notify wakes the worker, so that a message just queued goes out without
// waiting for the next poll. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends messages until ctx is done, then returns nil. It claims a
// batch whenever it is notified or Config.Poll has passed, and at once
// again after a full batch. Failures are logged, never returned; when the
// outbox cannot be read, it waits longer before each further try, up to a
// minute.
func (w *Worker) Run(ctx context.Context) error {
	idle := w.cfg.Poll
	for {
		claimed, _, err := w.pass(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := w.cfg.Poll
		switch {
		case err != nil:
			w.cfg.Logger.ErrorContext(ctx, "mail: outbox", "err", err)
			idle = min(idle*2, max(time.Minute, w.cfg.Poll))
			wait = idle
		case claimed >= w.cfg.Batch:
			idle = w.cfg.Poll
			continue // more may be due
		default:
			idle = w.cfg.Poll
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-w.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// RunOnce claims one batch and sends it, for tests and for one-off runs.
// It returns how many messages were sent; failures to send are recorded in
// the outbox and logged, not returned. It returns an error only if the
// outbox could not be read or written.
func (w *Worker) RunOnce(ctx context.Context) (sent int, err error) {
	_, sent, err = w.pass(ctx)
	return sent, err
}

// pass claims one batch and sends it, returning how many messages it
// claimed and sent.
func (w *Worker) pass(ctx context.Context) (claimed, sent int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("mail: outbox panicked: %v", p)
		}
	}()
	msgs, err := w.outbox.ClaimOutbox(ctx, w.cfg.Batch, w.cfg.Lease)
	if err != nil {
		return 0, 0, fmt.Errorf("mail: claim: %w", err)
	}
	var errs []error
	for _, m := range msgs {
		if ctx.Err() != nil {
			// Shutting down: the rest stay leased and are taken up again
			// when their lease ends.
			break
		}
		ok, err := w.process(ctx, m)
		if ok {
			sent++
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return len(msgs), sent, errors.Join(errs...)
}

// process renders and sends one message and records the outcome. It
// reports whether the message was sent, and returns an error only if the
// outcome could not be recorded.
func (w *Worker) process(ctx context.Context, m *masthead.OutboxMessage) (sent bool, err error) {
	sendErr := w.send(ctx, m)
	if sendErr == nil {
		if err := w.outbox.MarkSent(ctx, m.ID); err != nil {
			return true, fmt.Errorf("mail: message %d was sent but could not be marked sent: %w", m.ID, err)
		}
		w.cfg.Logger.DebugContext(ctx, "mail: sent", "id", m.ID, "kind", m.Kind)
		return true, nil
	}
	if ctx.Err() != nil {
		// Interrupted by shutdown, not the message's fault: leave it
		// leased, to be tried again when the lease ends.
		return false, nil
	}

	attempt := m.Attempts + 1
	var retryAt time.Time
	if !errors.Is(sendErr, ErrPermanent) && attempt < w.cfg.MaxAttempts {
		retryAt = w.cfg.Now().Add(backoff(attempt))
	}
	reason := sendErr.Error()
	if len(reason) > maxReason {
		reason = reason[:maxReason]
	}
	if retryAt.IsZero() {
		w.cfg.Logger.ErrorContext(ctx, "mail: giving up on message", "id", m.ID, "kind", m.Kind,
			"attempt", attempt, "err", sendErr)
	} else {
		w.cfg.Logger.WarnContext(ctx, "mail: send failed, will retry", "id", m.ID, "kind", m.Kind,
			"attempt", attempt, "retry_at", retryAt, "err", sendErr)
	}
	if err := w.outbox.MarkFailed(ctx, m.ID, reason, retryAt); err != nil {
		return false, fmt.Errorf("mail: mark message %d failed: %w", m.ID, err)
	}
	return false, nil
}

// send renders and sends m, turning a panic into an error.
func (w *Worker) send(ctx context.Context, m *masthead.OutboxMessage) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("mail: message %d panicked: %v", m.ID, p)
		}
	}()
	msg, err := Render(w.cfg, m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, w.cfg.SendTimeout)
	defer cancel()
	return w.sender.Send(ctx, msg)
}

// backoff returns how long to wait after the given failed attempt (1 for
// the first): backoffBase doubled for each earlier attempt, capped at
// backoffCap, less a random part of up to a half so that messages that
// failed together are not all retried together.
func backoff(attempt int) time.Duration {
	d := backoffCap
	if attempt < 1 {
		attempt = 1
	}
	if attempt < 20 {
		d = min(backoffBase<<(attempt-1), backoffCap)
	}
	return d/2 + rand.N(d/2+1)
}
