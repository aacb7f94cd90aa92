package mock

import (
	"context"
	"time"

	"masthead"
)

// Compile-time check that MeterService implements the domain interface.
var _ masthead.MeterService = (*MeterService)(nil)

// MeterService is a fake masthead.MeterService whose methods call the
// corresponding function fields.
type MeterService struct {
	ReadMeteredFn func(ctx context.Context, accountID, storyID int64, start, end time.Time, limit int) (masthead.MeterState, bool, error)
	MeterFn       func(ctx context.Context, accountID int64, start, end time.Time, limit int) (masthead.MeterState, error)
}

// ReadMetered calls ReadMeteredFn.
func (s *MeterService) ReadMetered(ctx context.Context, accountID, storyID int64, start, end time.Time, limit int) (masthead.MeterState, bool, error) {
	if s.ReadMeteredFn == nil {
		panic("mock: MeterService.ReadMetered called but ReadMeteredFn is nil")
	}
	return s.ReadMeteredFn(ctx, accountID, storyID, start, end, limit)
}

// Meter calls MeterFn.
func (s *MeterService) Meter(ctx context.Context, accountID int64, start, end time.Time, limit int) (masthead.MeterState, error) {
	if s.MeterFn == nil {
		panic("mock: MeterService.Meter called but MeterFn is nil")
	}
	return s.MeterFn(ctx, accountID, start, end, limit)
}

// Compile-time check that GiftService implements the domain interface.
var _ masthead.GiftService = (*GiftService)(nil)

// GiftService is a fake masthead.GiftService whose methods call the
// corresponding function fields.
type GiftService struct {
	CreateGiftLinkFn func(ctx context.Context, accountID int64, storySlug string, limit int, start, end time.Time, lifetime time.Duration) (*masthead.GiftLink, error)
	OpenGiftLinkFn   func(ctx context.Context, token string, storyID int64) (*masthead.GiftLink, error)
	GiftLinksFn      func(ctx context.Context, accountID int64) ([]*masthead.GiftLink, error)
	CountGiftLinksFn func(ctx context.Context, accountID int64, start, end time.Time) (int, error)
}

// CreateGiftLink calls CreateGiftLinkFn.
func (s *GiftService) CreateGiftLink(ctx context.Context, accountID int64, storySlug string, limit int, start, end time.Time, lifetime time.Duration) (*masthead.GiftLink, error) {
	if s.CreateGiftLinkFn == nil {
		panic("mock: GiftService.CreateGiftLink called but CreateGiftLinkFn is nil")
	}
	return s.CreateGiftLinkFn(ctx, accountID, storySlug, limit, start, end, lifetime)
}

// OpenGiftLink calls OpenGiftLinkFn.
func (s *GiftService) OpenGiftLink(ctx context.Context, token string, storyID int64) (*masthead.GiftLink, error) {
	if s.OpenGiftLinkFn == nil {
		panic("mock: GiftService.OpenGiftLink called but OpenGiftLinkFn is nil")
	}
	return s.OpenGiftLinkFn(ctx, token, storyID)
}

// GiftLinks calls GiftLinksFn.
func (s *GiftService) GiftLinks(ctx context.Context, accountID int64) ([]*masthead.GiftLink, error) {
	if s.GiftLinksFn == nil {
		panic("mock: GiftService.GiftLinks called but GiftLinksFn is nil")
	}
	return s.GiftLinksFn(ctx, accountID)
}

// CountGiftLinks calls CountGiftLinksFn.
func (s *GiftService) CountGiftLinks(ctx context.Context, accountID int64, start, end time.Time) (int, error) {
	if s.CountGiftLinksFn == nil {
		panic("mock: GiftService.CountGiftLinks called but CountGiftLinksFn is nil")
	}
	return s.CountGiftLinksFn(ctx, accountID, start, end)
}

// Compile-time check that SecretService implements the domain interface.
var _ masthead.SecretService = (*SecretService)(nil)

// SecretService is a fake masthead.SecretService whose methods call the
// corresponding function fields.
type SecretService struct {
	SecretFn func(ctx context.Context, name string) ([]byte, error)
}

// Secret calls SecretFn.
func (s *SecretService) Secret(ctx context.Context, name string) ([]byte, error) {
	if s.SecretFn == nil {
		panic("mock: SecretService.Secret called but SecretFn is nil")
	}
	return s.SecretFn(ctx, name)
}
