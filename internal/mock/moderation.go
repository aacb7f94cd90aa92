package mock

import (
	"context"

	"masthead"
)

// Compile-time check that ModerationService implements the domain
// interface.
var _ masthead.ModerationService = (*ModerationService)(nil)

// ModerationService is a fake masthead.ModerationService whose methods call
// the corresponding function fields.
type ModerationService struct {
	FindQueueFn   func(ctx context.Context, f masthead.QueueFilter) (*masthead.QueuePage, error)
	QueueCountsFn func(ctx context.Context) (masthead.QueueCounts, error)
	ModerateFn    func(ctx context.Context, actor masthead.Actor, ids []int64, action masthead.ModerationAction, reason string) error
}

func unsetModeration(method string) {
	panic("mock: ModerationService." + method + " called but " + method + "Fn is nil")
}

// FindQueue calls FindQueueFn.
func (s *ModerationService) FindQueue(ctx context.Context, f masthead.QueueFilter) (*masthead.QueuePage, error) {
	if s.FindQueueFn == nil {
		unsetModeration("FindQueue")
	}
	return s.FindQueueFn(ctx, f)
}

// QueueCounts calls QueueCountsFn.
func (s *ModerationService) QueueCounts(ctx context.Context) (masthead.QueueCounts, error) {
	if s.QueueCountsFn == nil {
		unsetModeration("QueueCounts")
	}
	return s.QueueCountsFn(ctx)
}

// Moderate calls ModerateFn.
func (s *ModerationService) Moderate(ctx context.Context, actor masthead.Actor, ids []int64, action masthead.ModerationAction, reason string) error {
	if s.ModerateFn == nil {
		unsetModeration("Moderate")
	}
	return s.ModerateFn(ctx, actor, ids, action, reason)
}
