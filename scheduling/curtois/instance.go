package curtois

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Shift is a shift type.
type Shift struct {
	ID        string
	Minutes   int
	Forbidden []string // shift IDs that may not follow on the next day
}

// Staff is an employee and their hard limits.
type Staff struct {
	ID                    string
	MaxShifts             map[string]int // per shift ID over the horizon; missing = no cap
	MaxTotalMinutes       int
	MinTotalMinutes       int
	MaxConsecutiveShifts  int
	MinConsecutiveShifts  int
	MinConsecutiveDaysOff int
	MaxWeekends           int
}

// Request is a shift on or off request.
type Request struct {
	Staff, Day int // indexes
	Shift      int
	Weight     int
}

// Cover is one cover row.
type Cover struct {
	Day, Shift                           int
	Requirement, WeightUnder, WeightOver int
}

// Instance is one benchmark instance.
type Instance struct {
	Horizon     int
	Shifts      []Shift
	Staff       []Staff
	DaysOff     [][]int // per staff
	OnRequests  []Request
	OffRequests []Request
	Cover       []Cover
}

// ShiftIndex returns the index of shift id, or -1.
func (in *Instance) ShiftIndex(id string) int {
	for i, s := range in.Shifts {
		if s.ID == id {
			return i
		}
	}
	return -1
}

func (in *Instance) staffIndex(id string) int {
	for i, s := range in.Staff {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// Parse reads an instance in the benchmark's text format (CRLF or LF).
// Errors name the line that could not be read.
func Parse(r io.Reader) (*Instance, error) {
	in := &Instance{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	section := ""
	ln := 0
	var rows [][]string
	var rowLines []int
	sections := map[string][][]string{}
	sectionLines := map[string][]int{}
	flush := func() {
		if section != "" {
			sections[section] = append(sections[section], rows...)
			sectionLines[section] = append(sectionLines[section], rowLines...)
		}
		section, rows, rowLines = "", nil, nil
	}
	for sc.Scan() {
		ln++
		line := strings.TrimSpace(strings.TrimRight(sc.Text(), "\r"))
		switch {
		case strings.HasPrefix(line, "#"):
			continue
		case line == "":
			flush()
			continue
		case strings.HasPrefix(line, "SECTION_"):
			flush()
			section = line
			continue
		}
		if section == "" {
			return nil, fmt.Errorf("curtois: line %d: data outside a section", ln)
		}
		f := strings.Split(line, ",")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		rows = append(rows, f)
		rowLines = append(rowLines, ln)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("curtois: %w", err)
	}
	flush()
	errAt := func(sec string, i int, format string, a ...any) error {
		return fmt.Errorf("curtois: line %d (%s): %s", sectionLines[sec][i], sec, fmt.Sprintf(format, a...))
	}
	atoi := func(sec string, i int, s string) (int, error) {
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0, errAt(sec, i, "not an integer: %q", s)
		}
		return v, nil
	}
	const (
		sH, sS, sT, sD, sOn, sOff, sC = "SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_DAYS_OFF",
			"SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS", "SECTION_COVER"
	)
	h := sections[sH]
	if len(h) != 1 || len(h[0]) != 1 {
		return nil, fmt.Errorf("curtois: SECTION_HORIZON must hold one integer")
	}
	var err error
	if in.Horizon, err = atoi(sH, 0, h[0][0]); err != nil {
		return nil, err
	}
	if in.Horizon <= 0 {
		return nil, fmt.Errorf("curtois: horizon must be positive")
	}
	for i, f := range sections[sS] {
		if len(f) < 2 {
			return nil, errAt(sS, i, "want ShiftID, Length, Forbidden")
		}
		m, err := atoi(sS, i, f[1])
		if err != nil {
			return nil, err
		}
		s := Shift{ID: f[0], Minutes: m}
		if len(f) > 2 && f[2] != "" {
			s.Forbidden = strings.Split(f[2], "|")
		}
		in.Shifts = append(in.Shifts, s)
	}
	for i, s := range in.Shifts {
		for _, x := range s.Forbidden {
			if in.ShiftIndex(x) < 0 {
				return nil, errAt(sS, i, "unknown shift %q", x)
			}
		}
	}
	for i, f := range sections[sT] {
		if len(f) != 8 {
			return nil, errAt(sT, i, "want 8 fields, got %d", len(f))
		}
		st := Staff{ID: f[0], MaxShifts: map[string]int{}}
		if f[1] != "" {
			for _, kv := range strings.Split(f[1], "|") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || in.ShiftIndex(k) < 0 {
					return nil, errAt(sT, i, "bad MaxShifts entry %q", kv)
				}
				n, err := atoi(sT, i, v)
				if err != nil {
					return nil, err
				}
				st.MaxShifts[k] = n
			}
		}
		vals := make([]int, 6)
		for j := range vals {
			if vals[j], err = atoi(sT, i, f[2+j]); err != nil {
				return nil, err
			}
		}
		st.MaxTotalMinutes, st.MinTotalMinutes, st.MaxConsecutiveShifts = vals[0], vals[1], vals[2]
		st.MinConsecutiveShifts, st.MinConsecutiveDaysOff, st.MaxWeekends = vals[3], vals[4], vals[5]
		in.Staff = append(in.Staff, st)
	}
	in.DaysOff = make([][]int, len(in.Staff))
	for i, f := range sections[sD] {
		e := in.staffIndex(f[0])
		if e < 0 {
			return nil, errAt(sD, i, "unknown employee %q", f[0])
		}
		for _, x := range f[1:] {
			if x == "" {
				continue
			}
			d, err := atoi(sD, i, x)
			if err != nil {
				return nil, err
			}
			if d < 0 || d >= in.Horizon {
				return nil, errAt(sD, i, "day %d outside the horizon", d)
			}
			in.DaysOff[e] = append(in.DaysOff[e], d)
		}
	}
	reqs := func(sec string) ([]Request, error) {
		var out []Request
		for i, f := range sections[sec] {
			if len(f) != 4 {
				return nil, errAt(sec, i, "want EmployeeID, Day, ShiftID, Weight")
			}
			e, s := in.staffIndex(f[0]), in.ShiftIndex(f[2])
			if e < 0 || s < 0 {
				return nil, errAt(sec, i, "unknown employee or shift")
			}
			d, err := atoi(sec, i, f[1])
			if err != nil {
				return nil, err
			}
			w, err := atoi(sec, i, f[3])
			if err != nil {
				return nil, err
			}
			if d < 0 || d >= in.Horizon {
				return nil, errAt(sec, i, "day %d outside the horizon", d)
			}
			out = append(out, Request{Staff: e, Day: d, Shift: s, Weight: w})
		}
		return out, nil
	}
	if in.OnRequests, err = reqs(sOn); err != nil {
		return nil, err
	}
	if in.OffRequests, err = reqs(sOff); err != nil {
		return nil, err
	}
	for i, f := range sections[sC] {
		if len(f) != 5 {
			return nil, errAt(sC, i, "want Day, ShiftID, Requirement, WeightUnder, WeightOver")
		}
		s := in.ShiftIndex(f[1])
		if s < 0 {
			return nil, errAt(sC, i, "unknown shift %q", f[1])
		}
		v := make([]int, 4)
		for j, x := range []string{f[0], f[2], f[3], f[4]} {
			if v[j], err = atoi(sC, i, x); err != nil {
				return nil, err
			}
		}
		if v[0] < 0 || v[0] >= in.Horizon {
			return nil, errAt(sC, i, "day %d outside the horizon", v[0])
		}
		in.Cover = append(in.Cover, Cover{Day: v[0], Shift: s, Requirement: v[1], WeightUnder: v[2], WeightOver: v[3]})
	}
	if len(in.Shifts) == 0 || len(in.Staff) == 0 {
		return nil, fmt.Errorf("curtois: no shifts or no staff")
	}
	return in, nil
}
