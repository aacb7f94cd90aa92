package web

import (
	"net/http"

	"masthead"
)

// staffRoles are the roles an administrator may give, in the order the
// role menus list them.
var staffRoles = []masthead.Role{masthead.RoleSubscriber, masthead.RoleModerator, masthead.RoleEditor, masthead.RoleAdmin}

// adminStaffRoutes registers /admin/staff: the staff list, role changes
// and two-factor resets, for administrators.
func (s *Server) adminStaffRoutes(mux *http.ServeMux) {
	s.adminHandle(mux, "GET /admin/staff", masthead.PermStaffAdmin, s.handleAdminStaff)
	s.adminHandle(mux, "POST /admin/staff", masthead.PermStaffAdmin, s.handleAdminStaffAdd)
	s.adminHandle(mux, "POST /admin/staff/{id}/role", masthead.PermStaffAdmin, s.handleAdminStaffRole)
	if s.cfg.TwoFactor != nil {
		s.adminHandle(mux, "POST /admin/staff/{id}/two-factor/reset", masthead.PermStaffAdmin, s.handleAdminStaffReset)
	}
}

// staffView is the data of /admin/staff.
type staffView struct {
	Members []staffRow
	// AddForm gives an account a role by its email address; AddRoles is
	// its role menu.
	AddForm  *form
	AddRoles []option
	// RowForm holds the refusal of an action on one row, shown at the top
	// of the page.
	RowForm *form
	// CanReset says whether two-factor resets are offered.
	CanReset bool
}

// staffRow is one staff account in the list, with its forms' values.
type staffRow struct {
	ID          int64
	Email       string
	DisplayName string
	RoleLabel   string
	TwoFactor   bool
	Self        bool
	Roles       []option
	RoleLabelID string // the role menu's label, naming the account
	Reason      string
	ResetReason string
}

// roleOptions returns the role menu with selected chosen.
func (s *Server) roleOptions(selected masthead.Role) []option {
	out := make([]option, len(staffRoles))
	for i, r := range staffRoles {
		out[i] = option{Value: string(r), Label: s.msg("staffadmin.role." + string(r)), Selected: r == selected}
	}
	return out
}

// staffAddForm is the form that gives an account a role by email.
func (s *Server) staffAddForm() *form {
	email := s.emailField("staffadmin.add_email")
	email.Hint = s.msg("staffadmin.add_intro")
	reason := s.textField("reason", "staffadmin.reason", "text", "off")
	reason.MaxLength = masthead.MaxStaffReasonLen
	return newForm("add-", email, reason)
}

// staffPage returns /admin/staff for the administrator a.
func (s *Server) staffPage(r *http.Request, a *masthead.Account) (*page, *staffView, error) {
	members, err := s.cfg.Staff.ListStaff(r.Context(), s.actor(r, a))
	if err != nil {
		return nil, nil, err
	}
	p := s.adminPage(r, "staffadmin.heading")
	p.Intro = s.msg("staffadmin.intro")
	v := &staffView{
		AddForm:  s.staffAddForm(),
		AddRoles: s.roleOptions(masthead.RoleModerator),
		RowForm:  newForm("row-"),
		CanReset: s.cfg.TwoFactor != nil,
	}
	for _, m := range members {
		v.Members = append(v.Members, staffRow{
			ID: m.ID, Email: m.Email, DisplayName: m.DisplayName,
			RoleLabel: s.msg("staffadmin.role." + string(m.Role)),
			TwoFactor: m.TwoFactorEnabled, Self: m.ID == a.ID,
			Roles: s.roleOptions(m.Role),
		})
	}
	p.Staff = v
	return p, v, nil
}

// staffNotices are the confirmations of /admin/staff's actions, by the
// done parameter of the redirect after them.
var staffNotices = map[string]string{
	"role":  "staffadmin.role_changed",
	"reset": "staffadmin.reset_done",
}

// handleAdminStaff lists the staff accounts with their roles and
// two-factor state, and the forms to change them.
func (s *Server) handleAdminStaff(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	p, _, err := s.staffPage(r, a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if id, ok := staffNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = s.msg(id)
	}
	s.render(w, r, http.StatusOK, "admin_staff", p)
}

// postedRole returns the posted role, or "" if it is not one.
func postedRole(r *http.Request) masthead.Role {
	role := masthead.Role(r.PostFormValue("role"))
	if !role.Valid() {
		return ""
	}
	return role
}

// handleAdminStaffAdd gives the account with the posted email address the
// posted role.
func (s *Server) handleAdminStaffAdd(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	if !s.parseForm(w, r) {
		return
	}
	p, v, err := s.staffPage(r, a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v.AddForm.fill(r)
	role := postedRole(r)
	v.AddRoles = s.roleOptions(role)
	if role == "" {
		v.AddForm.invalid("role", s.msg("staffadmin.role_invalid"))
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, http.StatusBadRequest, "admin_staff", p)
		return
	}
	if err := s.cfg.Staff.SetRoleByEmail(r.Context(), s.actor(r, a), r.PostFormValue("email"), role, r.PostFormValue("reason")); err != nil {
		if masthead.ErrorCode(err) == masthead.ENOTFOUND {
			err = &masthead.Error{Code: masthead.ENOTFOUND, Field: "email", Message: masthead.ErrorMessage(err)}
		}
		s.refuse(w, r, 0, "admin_staff", p, v.AddForm, err)
		return
	}
	s.redirect(w, r, "/admin/staff?done=role")
}

// staffRowAction reads the account ID of a row action and prepares the
// page to show again if the action is refused, with what was posted kept
// in the account's row. It answers the request itself and returns ok
// false if it cannot.
func (s *Server) staffRowAction(w http.ResponseWriter, r *http.Request, a *masthead.Account) (id int64, p *page, v *staffView, ok bool) {
	id, found := pathID(r, "id")
	if !found {
		s.handleNotFound(w, r)
		return 0, nil, nil, false
	}
	if !s.parseForm(w, r) {
		return 0, nil, nil, false
	}
	var err error
	if p, v, err = s.staffPage(r, a); err != nil {
		s.Error(w, r, err)
		return 0, nil, nil, false
	}
	for i := range v.Members {
		if row := &v.Members[i]; row.ID == id {
			if r.URL.Path == "/admin/staff/"+r.PathValue("id")+"/role" {
				row.Reason = r.PostFormValue("reason")
				if role := postedRole(r); role != "" {
					row.Roles = s.roleOptions(role)
				}
			} else {
				row.ResetReason = r.PostFormValue("reason")
			}
		}
	}
	return id, p, v, true
}

// handleAdminStaffRole changes one account's role.
func (s *Server) handleAdminStaffRole(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	id, p, v, ok := s.staffRowAction(w, r, a)
	if !ok {
		return
	}
	role := postedRole(r)
	if role == "" {
		v.RowForm.invalid("", s.msg("staffadmin.role_invalid"))
		p.Title = s.msg("form.error_title", p.Title)
		s.render(w, r, http.StatusBadRequest, "admin_staff", p)
		return
	}
	if err := s.cfg.Staff.SetRole(r.Context(), s.actor(r, a), id, role, r.PostFormValue("reason")); err != nil {
		s.refuse(w, r, 0, "admin_staff", p, v.RowForm, err)
		return
	}
	s.redirect(w, r, "/admin/staff?done=role")
}

// handleAdminStaffReset turns off an account's two-factor sign-in, for a
// staff member who lost their device.
func (s *Server) handleAdminStaffReset(w http.ResponseWriter, r *http.Request, a *masthead.Account) {
	id, p, v, ok := s.staffRowAction(w, r, a)
	if !ok {
		return
	}
	if err := s.cfg.TwoFactor.ResetTwoFactor(r.Context(), s.actor(r, a), id, r.PostFormValue("reason")); err != nil {
		s.refuse(w, r, 0, "admin_staff", p, v.RowForm, err)
		return
	}
	s.redirect(w, r, "/admin/staff?done=reset")
}
