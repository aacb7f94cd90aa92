package web

import (
	"errors"
	"net/http"
	"strings"

	"masthead"
)

// field is one text input of a form: how it is labelled and filled in,
// what the reader typed and what is wrong with it. A password field never
// carries a value back to the page.
type field struct {
	Name         string
	ID           string
	Label        string
	Type         string
	Autocomplete string
	Hint         string
	Value        string
	Error        string
	Required     bool
	MaxLength    int
}

// Describedby returns the IDs of the field's hint and error, for
// aria-describedby.
func (f *field) Describedby() string {
	switch {
	case f.Hint != "" && f.Error != "":
		return f.ID + "-hint " + f.ID + "-error"
	case f.Hint != "":
		return f.ID + "-hint"
	case f.Error != "":
		return f.ID + "-error"
	}
	return ""
}

// formError is one refusal in a form's error summary, linking to its field
// when it is about one.
type formError struct {
	Href    string
	Message string
}

// form is an HTML form: its text fields by name, and its refusals.
type form struct {
	// ID prefixes the IDs of the form's elements, so that two forms on one
	// page can both have a field of the same name.
	ID string
	// F holds the text fields by their name.
	F map[string]*field
	// Error is a refusal that is about no one field (or about a field the
	// form does not show).
	Error string
	// Errors lists every refusal for the summary at the top of the form.
	Errors []formError
}

// newForm returns a form of fields whose element IDs start with prefix.
func newForm(prefix string, fields ...*field) *form {
	f := &form{ID: prefix, F: make(map[string]*field, len(fields))}
	for _, fld := range fields {
		fld.ID = prefix + strings.ReplaceAll(fld.Name, "_", "-")
		f.F[fld.Name] = fld
	}
	return f
}

// textField returns a field labelled by the catalogue text of labelID.
func (s *Server) textField(name, labelID, typ, autocomplete string) *field {
	return &field{Name: name, Label: s.msg(labelID), Type: typ, Autocomplete: autocomplete}
}

// emailField returns an email address field.
func (s *Server) emailField(labelID string) *field {
	f := s.textField("email", labelID, "email", "email")
	f.Required, f.MaxLength = true, masthead.MaxEmailLen
	return f
}

// passwordField returns a password field; autocomplete is
// "current-password" or "new-password".
func (s *Server) passwordField(name, labelID, autocomplete string) *field {
	f := s.textField(name, labelID, "password", autocomplete)
	f.Required = true
	if autocomplete == "new-password" {
		f.Hint = s.msg("form.password_hint", masthead.MinPasswordLen)
	}
	return f
}

// fill keeps what the reader typed into the form's non-password fields.
func (f *form) fill(r *http.Request) *form {
	for name, fld := range f.F {
		if fld.Type != "password" {
			fld.Value = r.PostFormValue(name)
		}
	}
	return f
}

// invalid records a refusal about the named field, or about the whole
// form if it has no such field.
func (f *form) invalid(name, message string) {
	if fld := f.F[name]; fld != nil {
		fld.Error = message
		f.Errors = append(f.Errors, formError{Href: "#" + fld.ID, Message: message})
		return
	}
	f.Error = message
	f.Errors = append(f.Errors, formError{Message: message})
}

// fail records the refusal err: next to the field it names, or for the
// whole form.
func (f *form) fail(err error) {
	f.invalid(masthead.ErrorField(err), masthead.ErrorMessage(err))
}

// refuse shows a page again with the refusal err recorded in f and the
// status of its code: 400 for invalid input, 429 for a rate limit and so
// on. An internal error gets the error page instead.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, name string, p *page, f *form, err error) {
	code := masthead.ErrorCode(err)
	if status == 0 {
		status = ErrorStatus(code)
	}
	if status == http.StatusInternalServerError {
		s.Error(w, r, err)
		return
	}
	f.fail(err)
	p.Title = s.msg("form.error_title", p.Title)
	s.render(w, r, status, name, p)
}

// parseForm reads a posted form, answering the request itself with a 400
// (or 413 for a body over the limit) if it cannot.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	err := r.ParseForm()
	if err == nil {
		return true
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.renderError(w, r, http.StatusRequestEntityTooLarge, masthead.EINVALID, s.msg("form.too_large"))
		return false
	}
	s.Error(w, r, masthead.Errorf(masthead.EINVALID, "%s", s.msg("form.unreadable")))
	return false
}
