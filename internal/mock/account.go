package mock

import (
	"context"

	"masthead"
)

// Compile-time check that AccountService implements the domain interface.
var _ masthead.AccountService = (*AccountService)(nil)

// AccountService is a fake masthead.AccountService whose methods call the
// corresponding function fields.
type AccountService struct {
	SignUpFn               func(ctx context.Context, email, password string, c masthead.Client) error
	VerifyEmailFn          func(ctx context.Context, token string) (*masthead.Account, error)
	ResendVerificationFn   func(ctx context.Context, accountID int64) error
	SignInFn               func(ctx context.Context, email, password string, c masthead.Client) (*masthead.Account, string, error)
	AuthenticateFn         func(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error)
	SignOutFn              func(ctx context.Context, token string) error
	RequestPasswordResetFn func(ctx context.Context, email string, c masthead.Client) error
	ResetPasswordFn        func(ctx context.Context, token, password string, c masthead.Client) (*masthead.Account, string, error)
	ChangePasswordFn       func(ctx context.Context, accountID int64, current, password string, keepSession int64) error
	RequestEmailChangeFn   func(ctx context.Context, accountID int64, newEmail, password string) error
	ConfirmEmailChangeFn   func(ctx context.Context, token string) (*masthead.Account, error)
	ListSessionsFn         func(ctx context.Context, accountID int64) ([]*masthead.Session, error)
	EndSessionFn           func(ctx context.Context, accountID, sessionID int64) error
	EndOtherSessionsFn     func(ctx context.Context, accountID, keep int64) error
	FindAccountByIDFn      func(ctx context.Context, id int64) (*masthead.Account, error)
	SetProfileFn           func(ctx context.Context, accountID int64, displayName, about string) (*masthead.Account, error)
	NameHistoryFn          func(ctx context.Context, accountID int64) ([]masthead.NameChange, error)
	SetReplyEmailsFn       func(ctx context.Context, accountID int64, on bool) error
	ExportAccountFn        func(ctx context.Context, accountID int64) (*masthead.AccountExport, error)
	RequestDeletionFn      func(ctx context.Context, accountID int64, password string, deleteComments bool) error
	PurgeDueDeletionsFn    func(ctx context.Context) (int, error)
	CreateStaffFn          func(ctx context.Context, email, password string, role masthead.Role) (*masthead.Account, error)
}

func unsetAccount(method string) {
	panic("mock: AccountService." + method + " called but " + method + "Fn is nil")
}

// SignUp calls SignUpFn.
func (s *AccountService) SignUp(ctx context.Context, email, password string, c masthead.Client) error {
	if s.SignUpFn == nil {
		unsetAccount("SignUp")
	}
	return s.SignUpFn(ctx, email, password, c)
}

// VerifyEmail calls VerifyEmailFn.
func (s *AccountService) VerifyEmail(ctx context.Context, token string) (*masthead.Account, error) {
	if s.VerifyEmailFn == nil {
		unsetAccount("VerifyEmail")
	}
	return s.VerifyEmailFn(ctx, token)
}

// ResendVerification calls ResendVerificationFn.
func (s *AccountService) ResendVerification(ctx context.Context, accountID int64) error {
	if s.ResendVerificationFn == nil {
		unsetAccount("ResendVerification")
	}
	return s.ResendVerificationFn(ctx, accountID)
}

// SignIn calls SignInFn.
func (s *AccountService) SignIn(ctx context.Context, email, password string, c masthead.Client) (*masthead.Account, string, error) {
	if s.SignInFn == nil {
		unsetAccount("SignIn")
	}
	return s.SignInFn(ctx, email, password, c)
}

// Authenticate calls AuthenticateFn.
func (s *AccountService) Authenticate(ctx context.Context, token string, c masthead.Client) (*masthead.Account, *masthead.Session, error) {
	if s.AuthenticateFn == nil {
		unsetAccount("Authenticate")
	}
	return s.AuthenticateFn(ctx, token, c)
}

// SignOut calls SignOutFn.
func (s *AccountService) SignOut(ctx context.Context, token string) error {
	if s.SignOutFn == nil {
		unsetAccount("SignOut")
	}
	return s.SignOutFn(ctx, token)
}

// RequestPasswordReset calls RequestPasswordResetFn.
func (s *AccountService) RequestPasswordReset(ctx context.Context, email string, c masthead.Client) error {
	if s.RequestPasswordResetFn == nil {
		unsetAccount("RequestPasswordReset")
	}
	return s.RequestPasswordResetFn(ctx, email, c)
}

// ResetPassword calls ResetPasswordFn.
func (s *AccountService) ResetPassword(ctx context.Context, token, password string, c masthead.Client) (*masthead.Account, string, error) {
	if s.ResetPasswordFn == nil {
		unsetAccount("ResetPassword")
	}
	return s.ResetPasswordFn(ctx, token, password, c)
}

// ChangePassword calls ChangePasswordFn.
func (s *AccountService) ChangePassword(ctx context.Context, accountID int64, current, password string, keepSession int64) error {
	if s.ChangePasswordFn == nil {
		unsetAccount("ChangePassword")
	}
	return s.ChangePasswordFn(ctx, accountID, current, password, keepSession)
}

// RequestEmailChange calls RequestEmailChangeFn.
func (s *AccountService) RequestEmailChange(ctx context.Context, accountID int64, newEmail, password string) error {
	if s.RequestEmailChangeFn == nil {
		unsetAccount("RequestEmailChange")
	}
	return s.RequestEmailChangeFn(ctx, accountID, newEmail, password)
}

// ConfirmEmailChange calls ConfirmEmailChangeFn.
func (s *AccountService) ConfirmEmailChange(ctx context.Context, token string) (*masthead.Account, error) {
	if s.ConfirmEmailChangeFn == nil {
		unsetAccount("ConfirmEmailChange")
	}
	return s.ConfirmEmailChangeFn(ctx, token)
}

// ListSessions calls ListSessionsFn.
func (s *AccountService) ListSessions(ctx context.Context, accountID int64) ([]*masthead.Session, error) {
	if s.ListSessionsFn == nil {
		unsetAccount("ListSessions")
	}
	return s.ListSessionsFn(ctx, accountID)
}

// EndSession calls EndSessionFn.
func (s *AccountService) EndSession(ctx context.Context, accountID, sessionID int64) error {
	if s.EndSessionFn == nil {
		unsetAccount("EndSession")
	}
	return s.EndSessionFn(ctx, accountID, sessionID)
}

// EndOtherSessions calls EndOtherSessionsFn.
func (s *AccountService) EndOtherSessions(ctx context.Context, accountID, keep int64) error {
	if s.EndOtherSessionsFn == nil {
		unsetAccount("EndOtherSessions")
	}
	return s.EndOtherSessionsFn(ctx, accountID, keep)
}

// FindAccountByID calls FindAccountByIDFn.
func (s *AccountService) FindAccountByID(ctx context.Context, id int64) (*masthead.Account, error) {
	if s.FindAccountByIDFn == nil {
		unsetAccount("FindAccountByID")
	}
	return s.FindAccountByIDFn(ctx, id)
}

// SetProfile calls SetProfileFn.
func (s *AccountService) SetProfile(ctx context.Context, accountID int64, displayName, about string) (*masthead.Account, error) {
	if s.SetProfileFn == nil {
		unsetAccount("SetProfile")
	}
	return s.SetProfileFn(ctx, accountID, displayName, about)
}

// NameHistory calls NameHistoryFn.
func (s *AccountService) NameHistory(ctx context.Context, accountID int64) ([]masthead.NameChange, error) {
	if s.NameHistoryFn == nil {
		unsetAccount("NameHistory")
	}
	return s.NameHistoryFn(ctx, accountID)
}

// SetReplyEmails calls SetReplyEmailsFn.
func (s *AccountService) SetReplyEmails(ctx context.Context, accountID int64, on bool) error {
	if s.SetReplyEmailsFn == nil {
		unsetAccount("SetReplyEmails")
	}
	return s.SetReplyEmailsFn(ctx, accountID, on)
}

// ExportAccount calls ExportAccountFn.
func (s *AccountService) ExportAccount(ctx context.Context, accountID int64) (*masthead.AccountExport, error) {
	if s.ExportAccountFn == nil {
		unsetAccount("ExportAccount")
	}
	return s.ExportAccountFn(ctx, accountID)
}

// RequestDeletion calls RequestDeletionFn.
func (s *AccountService) RequestDeletion(ctx context.Context, accountID int64, password string, deleteComments bool) error {
	if s.RequestDeletionFn == nil {
		unsetAccount("RequestDeletion")
	}
	return s.RequestDeletionFn(ctx, accountID, password, deleteComments)
}

// PurgeDueDeletions calls PurgeDueDeletionsFn.
func (s *AccountService) PurgeDueDeletions(ctx context.Context) (int, error) {
	if s.PurgeDueDeletionsFn == nil {
		unsetAccount("PurgeDueDeletions")
	}
	return s.PurgeDueDeletionsFn(ctx)
}

// CreateStaff calls CreateStaffFn.
func (s *AccountService) CreateStaff(ctx context.Context, email, password string, role masthead.Role) (*masthead.Account, error) {
	if s.CreateStaffFn == nil {
		unsetAccount("CreateStaff")
	}
	return s.CreateStaffFn(ctx, email, password, role)
}
