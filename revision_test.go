package masthead

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDiffLines(t *testing.T) {
	type line struct {
		op       DiffOp
		text     string
		old, new int
	}
	tests := []struct {
		name     string
		old, new string
		cells    int
		want     []line
	}{
		{"both empty", "", "", 0, nil},
		{"added to empty", "", "a\nb\n", 0, []line{{DiffInsert, "a", 0, 1}, {DiffInsert, "b", 0, 2}}},
		{"all removed", "a\n", "", 0, []line{{DiffDelete, "a", 1, 0}}},
		{"same", "a\nb", "a\nb\n", 0, []line{{DiffEqual, "a", 1, 1}, {DiffEqual, "b", 2, 2}}},
		{"one changed", "a\nb\nc", "a\nB\nc", 0, []line{
			{DiffEqual, "a", 1, 1}, {DiffDelete, "b", 2, 0}, {DiffInsert, "B", 0, 2}, {DiffEqual, "c", 3, 3}}},
		{"crlf is lf", "a\r\nb\r\n", "a\nb\n", 0, []line{{DiffEqual, "a", 1, 1}, {DiffEqual, "b", 2, 2}}},
		{"moved line keeps the longest common part", "x\na\nb\nc\ny", "x\nb\nc\na\ny", 0, []line{
			{DiffEqual, "x", 1, 1}, {DiffDelete, "a", 2, 0}, {DiffEqual, "b", 3, 2}, {DiffEqual, "c", 4, 3},
			{DiffInsert, "a", 0, 4}, {DiffEqual, "y", 5, 5}}},
		{"over the cell limit", "s\na\nb\ne", "s\nb\na\ne", 4, []line{
			{DiffEqual, "s", 1, 1}, {DiffDelete, "a", 2, 0}, {DiffDelete, "b", 3, 0},
			{DiffInsert, "b", 0, 2}, {DiffInsert, "a", 0, 3}, {DiffEqual, "e", 4, 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DiffLinesWithin(tt.old, tt.new, tt.cells)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Op != w.op || g.Text != w.text || g.OldNum != w.old || g.NewNum != w.new {
					t.Errorf("line %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// TestDiffLinesRebuilds checks that a diff's sides give back both texts.
func TestDiffLinesRebuilds(t *testing.T) {
	old := strings.Repeat("alpha\nbeta\ngamma\n", 30)
	new := strings.ReplaceAll(old, "beta", "delta") + "omega\n"
	var a, b []string
	for _, d := range DiffLines(old, new) {
		if d.Op != DiffInsert {
			a = append(a, d.Text)
		}
		if d.Op != DiffDelete {
			b = append(b, d.Text)
		}
	}
	if got, want := strings.Join(a, "\n")+"\n", old; got != want {
		t.Errorf("old side differs")
	}
	if got, want := strings.Join(b, "\n")+"\n", new; got != want {
		t.Errorf("new side differs")
	}
}

func TestChangedFields(t *testing.T) {
	base := func() *Story {
		return &Story{Headline: "H", Slug: "h", Body: "b", Section: Section{Slug: "world"},
			Authors: []Author{{Slug: "ann"}}, Tags: []Tag{{Slug: "rail"}}, Status: StatusDraft}
	}
	tests := []struct {
		name   string
		change func(*Story)
		want   []string
	}{
		{"nothing", func(*Story) {}, nil},
		{"headline and body", func(s *Story) { s.Headline, s.Body = "H2", "c" }, []string{FieldHeadline, FieldBody}},
		{"author order", func(s *Story) { s.Authors = append([]Author{{Slug: "ben"}}, s.Authors...) }, []string{FieldAuthors}},
		{"tag renamed only", func(s *Story) { s.Tags[0].Name = "Rail" }, nil},
		{"rules", func(s *Story) { s.CommentsCloseDays, s.Premoderated = 3, true }, []string{FieldCommentsCloseDays, FieldPremoderated}},
		{"schedule", func(s *Story) { s.Status, s.PublishedAt = StatusScheduled, time.Unix(5, 0) }, []string{FieldStatus, FieldPublishedAt}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base()
			tt.change(b)
			if got := ChangedFields(base(), b); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAuditAction(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	story := func(st StoryStatus, t time.Time) *Story { return &Story{Status: st, PublishedAt: t} }
	tests := []struct {
		name          string
		before, after *Story
		want          string
	}{
		{"new draft", nil, story(StatusDraft, time.Time{}), AuditStorySave},
		{"new published", nil, story(StatusPublished, at), AuditStoryPublish},
		{"new scheduled", nil, story(StatusScheduled, at), AuditStorySchedule},
		{"draft edited", story(StatusDraft, time.Time{}), story(StatusDraft, time.Time{}), AuditStorySave},
		{"draft published", story(StatusDraft, time.Time{}), story(StatusPublished, at), AuditStoryPublish},
		{"published edited", story(StatusPublished, at), story(StatusPublished, at), AuditStorySave},
		{"unpublished", story(StatusPublished, at), story(StatusDraft, at), AuditStoryUnpublish},
		{"schedule withdrawn", story(StatusScheduled, at), story(StatusDraft, at), AuditStoryUnpublish},
		{"rescheduled", story(StatusScheduled, at), story(StatusScheduled, at.Add(time.Hour)), AuditStorySchedule},
		{"scheduled edited", story(StatusScheduled, at), story(StatusScheduled, at), AuditStorySave},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AuditAction(tt.before, tt.after); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidateEdit(t *testing.T) {
	valid := func() *Story {
		s := &Story{Headline: "H", Body: "b", Section: Section{ID: 1}}
		s.Normalize()
		return s
	}
	tests := []struct {
		name      string
		days      int
		wantField string
	}{
		{"site default", 0, ""},
		{"a week", 7, ""},
		{"negative", -1, FieldCommentsCloseDays},
		{"too long", MaxCommentsCloseDays + 1, FieldCommentsCloseDays},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			s.CommentsCloseDays = tt.days
			if got := ErrorField(s.ValidateEdit()); got != tt.wantField {
				t.Errorf("got field %q, want %q", got, tt.wantField)
			}
		})
	}
}
