package mock

import (
	"context"

	"masthead"
)

// Compile-time check that UserService implements the domain interface.
var _ masthead.UserService = (*UserService)(nil)

// UserService is a fake masthead.UserService whose methods call the
// corresponding function fields, and whose UserSettings method reports
// Settings with the defaults filled in.
type UserService struct {
	ActOnUserFn          func(ctx context.Context, actor masthead.Actor, in masthead.UserActionInput) error
	AuthorHistoryFn      func(ctx context.Context, accountID int64) (*masthead.AuthorHistory, error)
	AuthorHistoriesFn    func(ctx context.Context, ids []int64) (map[int64]*masthead.AuthorHistory, error)
	PendingWarningFn     func(ctx context.Context, accountID int64) (*masthead.Warning, error)
	AcknowledgeWarningFn func(ctx context.Context, accountID, warningID int64) error
	FindUsersFn          func(ctx context.Context, q string, limit int) ([]*masthead.Account, error)
	Settings             masthead.UserSettings
}

func unsetUsers(method string) {
	panic("mock: UserService." + method + " called but " + method + "Fn is nil")
}

// ActOnUser calls ActOnUserFn.
func (s *UserService) ActOnUser(ctx context.Context, actor masthead.Actor, in masthead.UserActionInput) error {
	if s.ActOnUserFn == nil {
		unsetUsers("ActOnUser")
	}
	return s.ActOnUserFn(ctx, actor, in)
}

// AuthorHistory calls AuthorHistoryFn.
func (s *UserService) AuthorHistory(ctx context.Context, accountID int64) (*masthead.AuthorHistory, error) {
	if s.AuthorHistoryFn == nil {
		unsetUsers("AuthorHistory")
	}
	return s.AuthorHistoryFn(ctx, accountID)
}

// AuthorHistories calls AuthorHistoriesFn.
func (s *UserService) AuthorHistories(ctx context.Context, ids []int64) (map[int64]*masthead.AuthorHistory, error) {
	if s.AuthorHistoriesFn == nil {
		unsetUsers("AuthorHistories")
	}
	return s.AuthorHistoriesFn(ctx, ids)
}

// PendingWarning calls PendingWarningFn; with none set, there is never a
// pending warning (ENOTFOUND), so that pages work without setting it.
func (s *UserService) PendingWarning(ctx context.Context, accountID int64) (*masthead.Warning, error) {
	if s.PendingWarningFn == nil {
		return nil, masthead.Errorf(masthead.ENOTFOUND, "%s", masthead.Msg(masthead.MsgUserNoWarning))
	}
	return s.PendingWarningFn(ctx, accountID)
}

// AcknowledgeWarning calls AcknowledgeWarningFn.
func (s *UserService) AcknowledgeWarning(ctx context.Context, accountID, warningID int64) error {
	if s.AcknowledgeWarningFn == nil {
		unsetUsers("AcknowledgeWarning")
	}
	return s.AcknowledgeWarningFn(ctx, accountID, warningID)
}

// FindUsers calls FindUsersFn.
func (s *UserService) FindUsers(ctx context.Context, q string, limit int) ([]*masthead.Account, error) {
	if s.FindUsersFn == nil {
		unsetUsers("FindUsers")
	}
	return s.FindUsersFn(ctx, q, limit)
}

// UserSettings returns Settings with the defaults filled in.
func (s *UserService) UserSettings() masthead.UserSettings { return s.Settings.WithDefaults() }
