package masthead_test

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the host has

	"masthead"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// at parses a local time "2006-01-02 15:04:05" in loc.
func at(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	if err != nil {
		t.Fatalf("ParseInLocation(%q): %v", s, err)
	}
	return v
}

func TestMeterPeriod(t *testing.T) {
	utc := time.UTC
	tokyo := mustLoad(t, "Asia/Tokyo")
	la := mustLoad(t, "America/Los_Angeles")
	asuncion := mustLoad(t, "America/Asuncion")

	tests := []struct {
		name      string
		anchor    time.Time
		now       string // in loc
		loc       *time.Location
		wantStart string // in loc
		wantEnd   string // in loc
	}{
		// The 31st across February.
		{"31st, mid February (non-leap)", at(t, "2025-12-31 09:00:00", utc), "2026-02-15 12:00:00", utc, "2026-01-31 00:00:00", "2026-02-28 00:00:00"},
		{"31st, last second before Feb 28", at(t, "2025-12-31 09:00:00", utc), "2026-02-27 23:59:59", utc, "2026-01-31 00:00:00", "2026-02-28 00:00:00"},
		{"31st, Feb 28 midnight (non-leap)", at(t, "2025-12-31 09:00:00", utc), "2026-02-28 00:00:00", utc, "2026-02-28 00:00:00", "2026-03-31 00:00:00"},
		{"31st, Feb 28 (leap year)", at(t, "2027-12-31 09:00:00", utc), "2028-02-28 12:00:00", utc, "2028-01-31 00:00:00", "2028-02-29 00:00:00"},
		{"31st, Feb 29 (leap year)", at(t, "2027-12-31 09:00:00", utc), "2028-02-29 00:00:00", utc, "2028-02-29 00:00:00", "2028-03-31 00:00:00"},
		{"31st, back to the 31st in March", at(t, "2025-12-31 09:00:00", utc), "2026-03-31 00:00:00", utc, "2026-03-31 00:00:00", "2026-04-30 00:00:00"},
		{"31st, 30-day April before the 30th", at(t, "2025-12-31 09:00:00", utc), "2026-04-29 23:59:59", utc, "2026-03-31 00:00:00", "2026-04-30 00:00:00"},
		{"31st, 30-day April on the 30th", at(t, "2025-12-31 09:00:00", utc), "2026-04-30 00:00:00", utc, "2026-04-30 00:00:00", "2026-05-31 00:00:00"},
		{"31st, across the year", at(t, "2025-01-31 09:00:00", utc), "2026-01-15 00:00:00", utc, "2025-12-31 00:00:00", "2026-01-31 00:00:00"},
		// The 30th and 29th.
		{"30th, February (non-leap)", at(t, "2025-11-30 09:00:00", utc), "2026-02-28 08:00:00", utc, "2026-02-28 00:00:00", "2026-03-30 00:00:00"},
		{"30th, day before March reset", at(t, "2025-11-30 09:00:00", utc), "2026-03-29 23:59:59", utc, "2026-02-28 00:00:00", "2026-03-30 00:00:00"},
		{"30th, January", at(t, "2025-11-30 09:00:00", utc), "2026-01-30 00:00:00", utc, "2026-01-30 00:00:00", "2026-02-28 00:00:00"},
		{"29th, February (non-leap)", at(t, "2025-10-29 09:00:00", utc), "2026-02-28 00:00:00", utc, "2026-02-28 00:00:00", "2026-03-29 00:00:00"},
		{"29th, February (leap)", at(t, "2027-10-29 09:00:00", utc), "2028-02-28 23:59:59", utc, "2028-01-29 00:00:00", "2028-02-29 00:00:00"},
		{"29th, Feb 29 (leap)", at(t, "2027-10-29 09:00:00", utc), "2028-02-29 00:00:00", utc, "2028-02-29 00:00:00", "2028-03-29 00:00:00"},
		// The 1st, at year ends.
		{"1st, New Year's midnight", at(t, "2025-05-01 09:00:00", utc), "2026-01-01 00:00:00", utc, "2026-01-01 00:00:00", "2026-02-01 00:00:00"},
		{"1st, New Year's Eve", at(t, "2025-05-01 09:00:00", utc), "2025-12-31 23:59:59", utc, "2025-12-01 00:00:00", "2026-01-01 00:00:00"},
		{"15th, before it in January", at(t, "2025-05-15 09:00:00", utc), "2026-01-10 00:00:00", utc, "2025-12-15 00:00:00", "2026-01-15 00:00:00"},
		// Time zones: the anchor's day is its day in loc.
		{"anchor 31st UTC is the 1st in Tokyo", time.Date(2026, 1, 31, 23, 30, 0, 0, utc), "2026-02-28 23:59:59", tokyo, "2026-02-01 00:00:00", "2026-03-01 00:00:00"},
		{"Tokyo reset at local midnight", time.Date(2026, 1, 31, 23, 30, 0, 0, utc), "2026-03-01 00:00:00", tokyo, "2026-03-01 00:00:00", "2026-04-01 00:00:00"},
		{"the same anchor in UTC is the 31st", time.Date(2026, 1, 31, 23, 30, 0, 0, utc), "2026-02-28 12:00:00", utc, "2026-02-28 00:00:00", "2026-03-31 00:00:00"},
		// Los Angeles: DST starts 2026-03-08 02:00, ends 2026-11-01 02:00.
		{"LA, 23:59 before spring-forward reset", at(t, "2025-12-08 10:00:00", la), "2026-03-07 23:59:59", la, "2026-02-08 00:00:00", "2026-03-08 00:00:00"},
		{"LA, reset on spring-forward day", at(t, "2025-12-08 10:00:00", la), "2026-03-08 03:00:00", la, "2026-03-08 00:00:00", "2026-04-08 00:00:00"},
		{"LA, reset on fall-back day", at(t, "2025-12-01 10:00:00", la), "2026-11-01 01:30:00", la, "2026-11-01 00:00:00", "2026-12-01 00:00:00"},
		{"LA, 23:59 before fall-back day", at(t, "2025-12-01 10:00:00", la), "2026-10-31 23:59:59", la, "2026-10-01 00:00:00", "2026-11-01 00:00:00"},
		// Asunción: on 2023-10-01 clocks jumped from 00:00 to 01:00, so
		// that day began at 01:00.
		{"midnight in a DST gap: the day starts after it", at(t, "2023-01-01 10:00:00", asuncion), "2023-10-15 12:00:00", asuncion, "2023-10-01 01:00:00", "2023-11-01 00:00:00"},
		{"the hour before a DST-gap reset", at(t, "2023-01-01 10:00:00", asuncion), "2023-09-30 23:30:00", asuncion, "2023-09-01 00:00:00", "2023-10-01 01:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := at(t, tt.now, tt.loc)
			start, end := masthead.MeterPeriod(tt.anchor, now, tt.loc)
			wantStart, wantEnd := at(t, tt.wantStart, tt.loc), at(t, tt.wantEnd, tt.loc)
			if !start.Equal(wantStart) || !end.Equal(wantEnd) {
				t.Errorf("MeterPeriod(%v, %v) = [%v, %v), want [%v, %v)",
					tt.anchor, now, start.In(tt.loc), end.In(tt.loc), wantStart, wantEnd)
			}
		})
	}
	t.Run("LA spring-forward period is an hour short", func(t *testing.T) {
		start, end := masthead.MeterPeriod(at(t, "2025-12-08 10:00:00", la), at(t, "2026-03-20 12:00:00", la), la)
		if got, want := end.Sub(start), 31*24*time.Hour-time.Hour; got != want {
			t.Errorf("period [%v, %v) lasts %v, want %v", start, end, got, want)
		}
	})
}

func TestCalendarMonth(t *testing.T) {
	utc := time.UTC
	tokyo := mustLoad(t, "Asia/Tokyo")
	la := mustLoad(t, "America/Los_Angeles")
	tests := []struct {
		name               string
		now                string
		loc                *time.Location
		wantStart, wantEnd string
	}{
		{"mid month", "2026-02-15 12:00:00", utc, "2026-02-01 00:00:00", "2026-03-01 00:00:00"},
		{"first instant", "2026-03-01 00:00:00", utc, "2026-03-01 00:00:00", "2026-04-01 00:00:00"},
		{"last second", "2026-02-28 23:59:59", utc, "2026-02-01 00:00:00", "2026-03-01 00:00:00"},
		{"December", "2025-12-31 23:59:59", utc, "2025-12-01 00:00:00", "2026-01-01 00:00:00"},
		{"Tokyo", "2026-03-01 00:30:00", tokyo, "2026-03-01 00:00:00", "2026-04-01 00:00:00"},
		{"LA over fall back", "2026-11-15 00:00:00", la, "2026-11-01 00:00:00", "2026-12-01 00:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := at(t, tt.now, tt.loc)
			start, end := masthead.CalendarMonth(now, tt.loc)
			wantStart, wantEnd := at(t, tt.wantStart, tt.loc), at(t, tt.wantEnd, tt.loc)
			if !start.Equal(wantStart) || !end.Equal(wantEnd) {
				t.Errorf("CalendarMonth(%v) = [%v, %v), want [%v, %v)", now, start, end, wantStart, wantEnd)
			}
		})
	}
	t.Run("same instant, different zones", func(t *testing.T) {
		now := time.Date(2026, 1, 31, 23, 30, 0, 0, utc) // Feb 1 in Tokyo
		if start, _ := masthead.CalendarMonth(now, tokyo); start.In(tokyo).Month() != time.February {
			t.Errorf("CalendarMonth in Tokyo starts %v, want February", start.In(tokyo))
		}
		if start, _ := masthead.CalendarMonth(now, utc); start.Month() != time.January {
			t.Errorf("CalendarMonth in UTC starts %v, want January", start)
		}
	})
}

// periodZones include zones whose clocks change at midnight, so that some
// reset days have no midnight (Asunción, Havana, Cairo, Santiago), one with
// a half-hour shift (Lord Howe) and far-east ones (Chatham, Tokyo).
var periodZones = []string{
	"UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/London", "Asia/Kolkata",
	"Australia/Lord_Howe", "Pacific/Chatham", "America/Asuncion", "America/Havana",
	"Africa/Cairo", "America/Santiago", "America/Sao_Paulo",
}

// checkPeriods walks 24 consecutive periods from first and checks that each
// contains the instants it is asked for, starts on its reset day's first
// instant and ends where the next begins.
func checkPeriods(t *testing.T, loc *time.Location, first time.Time, wantDay int, period func(now time.Time) (time.Time, time.Time)) {
	t.Helper()
	now := first
	for i := range 24 {
		start, end := period(now)
		if now.Before(start) || !now.Before(end) {
			t.Fatalf("month %d: period [%v, %v) does not contain %v", i, start.In(loc), end.In(loc), now.In(loc))
		}
		if !start.Before(end) {
			t.Fatalf("month %d: empty period [%v, %v)", i, start.In(loc), end.In(loc))
		}
		ls := start.In(loc)
		last := time.Date(ls.Year(), ls.Month()+1, 0, 12, 0, 0, 0, time.UTC).Day()
		if d := ls.Day(); d != min(wantDay, last) {
			t.Fatalf("month %d: period starts %v, want day %d", i, ls, min(wantDay, last))
		}
		if before := start.Add(-time.Nanosecond).In(loc); before.Day() == ls.Day() {
			t.Fatalf("month %d: period starts %v, after the start of its day (%v is the same day)", i, ls, before)
		}
		// Every instant in the period maps to the same period.
		for _, probe := range []time.Time{start, start.Add(end.Sub(start) / 2), end.Add(-time.Nanosecond)} {
			if s, e := period(probe); !s.Equal(start) || !e.Equal(end) {
				t.Fatalf("month %d: period(%v) = [%v, %v), want [%v, %v)", i, probe.In(loc), s.In(loc), e.In(loc), ls, end.In(loc))
			}
		}
		// The next period starts where this one ends.
		if s, _ := period(end); !s.Equal(end) {
			t.Fatalf("month %d: next period starts %v, want %v (this one's end)", i, s.In(loc), end.In(loc))
		}
		now = end
	}
}

func TestMeterPeriodContiguous(t *testing.T) {
	for _, name := range periodZones {
		loc := mustLoad(t, name)
		for day := 1; day <= 31; day++ {
			t.Run(fmt.Sprintf("%s/day %d", name, day), func(t *testing.T) {
				anchor := time.Date(2022, time.January, day, 15, 0, 0, 0, loc)
				first := time.Date(2022, time.June, 20, 12, 0, 0, 0, loc)
				checkPeriods(t, loc, first, day, func(now time.Time) (time.Time, time.Time) {
					return masthead.MeterPeriod(anchor, now, loc)
				})
			})
		}
	}
}

func TestCalendarMonthContiguous(t *testing.T) {
	for _, name := range periodZones {
		loc := mustLoad(t, name)
		for _, year := range []int{1990, 2000, 2013, 2022} {
			t.Run(fmt.Sprintf("%s/from %d", name, year), func(t *testing.T) {
				first := time.Date(year, time.March, 10, 12, 0, 0, 0, loc)
				checkPeriods(t, loc, first, 1, func(now time.Time) (time.Time, time.Time) {
					return masthead.CalendarMonth(now, loc)
				})
			})
		}
	}
}
