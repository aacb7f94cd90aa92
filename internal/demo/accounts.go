package demo

import "masthead"

// Password is the password of every demo account. It is printed at
// start-up with a warning: the demo is for trying the product only.
const Password = "masthead-demo"

// AdminTOTPSecret is the two-factor secret of the demo administrator,
// admin@example.com: fixed and published (in the README and at start-up),
// so that whoever tries the demo can add it to an authenticator app, and
// the browser tests can compute its codes. Like Password, it is for trying
// the product only. It is the base32 of 160 bits.
const AdminTOTPSecret = "MASTHEADDEMOADMINTWOFACTORKEY234"

// Account is one demo account.
type Account struct {
	Email string
	Role  masthead.Role
	// Plan is the slug of the account's plan: "free", or a demo plan that
	// the account holds as a complimentary grant.
	Plan string
	// DisplayName is set for accounts that have created one; "" leaves
	// the account at the commenting gate's display-name step.
	DisplayName string
	About       string
	// TwoFactorSecret, if set, is the account's two-factor secret: its
	// two-factor sign-in is on from the start.
	TwoFactorSecret string
}

// Accounts returns the demo accounts of the product's demo table. Every one
// is verified.
func Accounts() []Account {
	return []Account{
		{Email: "admin@example.com", Role: masthead.RoleAdmin, DisplayName: "Port Alder Desk", TwoFactorSecret: AdminTOTPSecret},
		{Email: "editor@example.com", Role: masthead.RoleEditor, DisplayName: "Harbour Newsroom"},
		{Email: "moderator@example.com", Role: masthead.RoleModerator, DisplayName: "Community Team"},
		{Email: "free@example.com", Role: masthead.RoleSubscriber, Plan: "free"},
		{Email: "standard@example.com", Role: masthead.RoleSubscriber, Plan: "standard"},
		{Email: "premium@example.com", Role: masthead.RoleSubscriber, Plan: "premium",
			DisplayName: "Harriet Okonjo", About: "Harbour district"},
	}
}
