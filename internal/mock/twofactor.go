package mock

import (
	"context"

	"masthead"
)

// Compile-time checks that the fakes implement the domain interfaces.
var (
	_ masthead.TwoFactorService = (*TwoFactorService)(nil)
	_ masthead.StaffService     = (*StaffService)(nil)
)

// TwoFactorService is a fake masthead.TwoFactorService whose methods call
// the corresponding function fields.
type TwoFactorService struct {
	TwoFactorStatusFn         func(ctx context.Context, accountID int64) (*masthead.TwoFactorStatus, error)
	EnableTwoFactorFn         func(ctx context.Context, accountID int64, secret, code string) ([]string, error)
	DisableTwoFactorFn        func(ctx context.Context, accountID int64, password, code string) error
	RegenerateRecoveryCodesFn func(ctx context.Context, accountID int64, code string) ([]string, error)
	CompleteSignInFn          func(ctx context.Context, pendingToken, code string, c masthead.Client) (*masthead.SecondFactorResult, error)
	ResetTwoFactorFn          func(ctx context.Context, actor masthead.Actor, accountID int64, reason string) error
}

func unsetTwoFactor(method string) {
	panic("mock: TwoFactorService." + method + " called but " + method + "Fn is nil")
}

// TwoFactorStatus calls TwoFactorStatusFn.
func (s *TwoFactorService) TwoFactorStatus(ctx context.Context, accountID int64) (*masthead.TwoFactorStatus, error) {
	if s.TwoFactorStatusFn == nil {
		unsetTwoFactor("TwoFactorStatus")
	}
	return s.TwoFactorStatusFn(ctx, accountID)
}

// EnableTwoFactor calls EnableTwoFactorFn.
func (s *TwoFactorService) EnableTwoFactor(ctx context.Context, accountID int64, secret, code string) ([]string, error) {
	if s.EnableTwoFactorFn == nil {
		unsetTwoFactor("EnableTwoFactor")
	}
	return s.EnableTwoFactorFn(ctx, accountID, secret, code)
}

// DisableTwoFactor calls DisableTwoFactorFn.
func (s *TwoFactorService) DisableTwoFactor(ctx context.Context, accountID int64, password, code string) error {
	if s.DisableTwoFactorFn == nil {
		unsetTwoFactor("DisableTwoFactor")
	}
	return s.DisableTwoFactorFn(ctx, accountID, password, code)
}

// RegenerateRecoveryCodes calls RegenerateRecoveryCodesFn.
func (s *TwoFactorService) RegenerateRecoveryCodes(ctx context.Context, accountID int64, code string) ([]string, error) {
	if s.RegenerateRecoveryCodesFn == nil {
		unsetTwoFactor("RegenerateRecoveryCodes")
	}
	return s.RegenerateRecoveryCodesFn(ctx, accountID, code)
}

// CompleteSignIn calls CompleteSignInFn.
func (s *TwoFactorService) CompleteSignIn(ctx context.Context, pendingToken, code string, c masthead.Client) (*masthead.SecondFactorResult, error) {
	if s.CompleteSignInFn == nil {
		unsetTwoFactor("CompleteSignIn")
	}
	return s.CompleteSignInFn(ctx, pendingToken, code, c)
}

// ResetTwoFactor calls ResetTwoFactorFn.
func (s *TwoFactorService) ResetTwoFactor(ctx context.Context, actor masthead.Actor, accountID int64, reason string) error {
	if s.ResetTwoFactorFn == nil {
		unsetTwoFactor("ResetTwoFactor")
	}
	return s.ResetTwoFactorFn(ctx, actor, accountID, reason)
}

// StaffService is a fake masthead.StaffService whose methods call the
// corresponding function fields.
type StaffService struct {
	ListStaffFn        func(ctx context.Context, actor masthead.Actor) ([]*masthead.StaffMember, error)
	SetRoleFn          func(ctx context.Context, actor masthead.Actor, accountID int64, role masthead.Role, reason string) error
	SetRoleByEmailFn   func(ctx context.Context, actor masthead.Actor, email string, role masthead.Role, reason string) error
	AccountIDByEmailFn func(ctx context.Context, actor masthead.Actor, email string) (int64, error)
}

func unsetStaff(method string) {
	panic("mock: StaffService." + method + " called but " + method + "Fn is nil")
}

// ListStaff calls ListStaffFn.
func (s *StaffService) ListStaff(ctx context.Context, actor masthead.Actor) ([]*masthead.StaffMember, error) {
	if s.ListStaffFn == nil {
		unsetStaff("ListStaff")
	}
	return s.ListStaffFn(ctx, actor)
}

// SetRole calls SetRoleFn.
func (s *StaffService) SetRole(ctx context.Context, actor masthead.Actor, accountID int64, role masthead.Role, reason string) error {
	if s.SetRoleFn == nil {
		unsetStaff("SetRole")
	}
	return s.SetRoleFn(ctx, actor, accountID, role, reason)
}

// SetRoleByEmail calls SetRoleByEmailFn.
func (s *StaffService) SetRoleByEmail(ctx context.Context, actor masthead.Actor, email string, role masthead.Role, reason string) error {
	if s.SetRoleByEmailFn == nil {
		unsetStaff("SetRoleByEmail")
	}
	return s.SetRoleByEmailFn(ctx, actor, email, role, reason)
}

// AccountIDByEmail calls AccountIDByEmailFn.
func (s *StaffService) AccountIDByEmail(ctx context.Context, actor masthead.Actor, email string) (int64, error) {
	if s.AccountIDByEmailFn == nil {
		unsetStaff("AccountIDByEmail")
	}
	return s.AccountIDByEmailFn(ctx, actor, email)
}
