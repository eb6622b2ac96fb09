// Package check is an independent checker for Curtois & Qu benchmark rosters,
// written from FORMAT.md alone. It shares no code with scheduling/solver or
// scheduling/curtois (it has its own instance parser) so that it can vouch
// for their answers. It imports nothing from copbank.
package check

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Result is the checker's verdict on a roster.
type Result struct {
	Objective  int      // soft penalty (computed even when infeasible)
	Feasible   bool     // no hard constraint broken
	Violations []string // one line per broken hard constraint
}

type shiftType struct {
	length    int
	forbidden map[string]bool
}

type employee struct {
	id                                                    string
	maxShifts                                             map[string]int
	maxMin, minMin, maxCons, minCons, minOff, maxWeekends int
}

type data struct {
	days      int
	shifts    map[string]shiftType
	staff     []employee
	daysOff   map[string]map[int]bool
	on, off   []request
	coverRows []coverRow
}

type request struct {
	emp, shift string
	day, w     int
}

type coverRow struct {
	shift            string
	day, req, wu, wo int
}

func readSections(text []byte) map[string][][]string {
	out := map[string][][]string{}
	cur := ""
	s := bufio.NewScanner(bytes.NewReader(text))
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		l := strings.TrimSpace(strings.ReplaceAll(s.Text(), "\r", ""))
		if strings.HasPrefix(l, "#") {
			continue
		}
		if l == "" {
			cur = ""
			continue
		}
		if strings.HasPrefix(l, "SECTION_") {
			cur = strings.TrimPrefix(l, "SECTION_")
			out[cur] = out[cur][:0:0]
			continue
		}
		if cur == "" {
			continue
		}
		parts := strings.Split(l, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		out[cur] = append(out[cur], parts)
	}
	return out
}

func num(s string) (int, error) { return strconv.Atoi(strings.TrimSpace(s)) }

func parse(text []byte) (*data, error) {
	sec := readSections(text)
	d := &data{shifts: map[string]shiftType{}, daysOff: map[string]map[int]bool{}}
	if len(sec["HORIZON"]) != 1 {
		return nil, fmt.Errorf("check: no horizon")
	}
	var err error
	if d.days, err = num(sec["HORIZON"][0][0]); err != nil {
		return nil, fmt.Errorf("check: horizon: %w", err)
	}
	for _, r := range sec["SHIFTS"] {
		n, err := num(r[1])
		if err != nil {
			return nil, fmt.Errorf("check: shift %s: %w", r[0], err)
		}
		st := shiftType{length: n, forbidden: map[string]bool{}}
		if len(r) > 2 {
			for _, f := range strings.Split(r[2], "|") {
				if f != "" {
					st.forbidden[f] = true
				}
			}
		}
		d.shifts[r[0]] = st
	}
	for _, r := range sec["STAFF"] {
		if len(r) < 8 {
			return nil, fmt.Errorf("check: staff %s: short row", r[0])
		}
		e := employee{id: r[0], maxShifts: map[string]int{}}
		for _, kv := range strings.Split(r[1], "|") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				n, err := num(v)
				if err != nil {
					return nil, fmt.Errorf("check: staff %s: %w", r[0], err)
				}
				e.maxShifts[k] = n
			}
		}
		ptrs := []*int{&e.maxMin, &e.minMin, &e.maxCons, &e.minCons, &e.minOff, &e.maxWeekends}
		for i, p := range ptrs {
			if *p, err = num(r[2+i]); err != nil {
				return nil, fmt.Errorf("check: staff %s: %w", r[0], err)
			}
		}
		d.staff = append(d.staff, e)
	}
	for _, r := range sec["DAYS_OFF"] {
		m := d.daysOff[r[0]]
		if m == nil {
			m = map[int]bool{}
			d.daysOff[r[0]] = m
		}
		for _, x := range r[1:] {
			if x == "" {
				continue
			}
			n, err := num(x)
			if err != nil {
				return nil, fmt.Errorf("check: days off %s: %w", r[0], err)
			}
			m[n] = true
		}
	}
	reqs := func(name string) ([]request, error) {
		var out []request
		for _, r := range sec[name] {
			day, err1 := num(r[1])
			w, err2 := num(r[3])
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("check: bad %s row %v", name, r)
			}
			out = append(out, request{emp: r[0], day: day, shift: r[2], w: w})
		}
		return out, nil
	}
	if d.on, err = reqs("SHIFT_ON_REQUESTS"); err != nil {
		return nil, err
	}
	if d.off, err = reqs("SHIFT_OFF_REQUESTS"); err != nil {
		return nil, err
	}
	for _, r := range sec["COVER"] {
		var c coverRow
		c.shift = r[1]
		ptrs := []*int{&c.day, &c.req, &c.wu, &c.wo}
		for i, src := range []string{r[0], r[2], r[3], r[4]} {
			if *ptrs[i], err = num(src); err != nil {
				return nil, fmt.Errorf("check: bad cover row %v", r)
			}
		}
		d.coverRows = append(d.coverRows, c)
	}
	return d, nil
}

// Check scores roster (ID, tab, one cell per day: a shift ID or "-") against
// the instance text. It returns an error when either cannot be read or the
// roster does not have one line per employee with one cell per day.
func Check(instance, roster []byte) (Result, error) {
	d, err := parse(instance)
	if err != nil {
		return Result{}, err
	}
	grid := map[string][]string{}
	s := bufio.NewScanner(bytes.NewReader(roster))
	for s.Scan() {
		l := strings.TrimRight(s.Text(), "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		id, cells, ok := strings.Cut(l, "\t")
		if !ok {
			return Result{}, fmt.Errorf("check: roster line %q has no tab", l)
		}
		f := strings.Fields(cells)
		if len(f) != d.days {
			return Result{}, fmt.Errorf("check: roster line for %s has %d cells, want %d", id, len(f), d.days)
		}
		if _, dup := grid[id]; dup {
			return Result{}, fmt.Errorf("check: employee %s appears twice", id)
		}
		for _, c := range f {
			if _, ok := d.shifts[c]; c != "-" && !ok {
				return Result{}, fmt.Errorf("check: employee %s: unknown shift %q", id, c)
			}
		}
		grid[id] = f
	}
	if len(grid) != len(d.staff) {
		return Result{}, fmt.Errorf("check: roster has %d employees, instance %d", len(grid), len(d.staff))
	}
	var res Result
	bad := func(format string, a ...any) { res.Violations = append(res.Violations, fmt.Sprintf(format, a...)) }
	for _, e := range d.staff {
		row, ok := grid[e.id]
		if !ok {
			return Result{}, fmt.Errorf("check: employee %s missing from roster", e.id)
		}
		// (1) holds by construction: one cell per day.
		count := map[string]int{}
		total := 0
		for day, c := range row {
			if c == "-" {
				continue
			}
			count[c]++
			total += d.shifts[c].length
			if day+1 < d.days && row[day+1] != "-" && d.shifts[c].forbidden[row[day+1]] {
				bad("%s: %s on day %d followed by %s", e.id, c, day, row[day+1])
			}
			if d.daysOff[e.id][day] {
				bad("%s: works on day off %d", e.id, day)
			}
		}
		for sh, n := range count {
			if m, ok := e.maxShifts[sh]; ok && n > m {
				bad("%s: %d %s shifts > %d", e.id, n, sh, m)
			}
		}
		if total > e.maxMin || total < e.minMin {
			bad("%s: %d minutes outside [%d, %d]", e.id, total, e.minMin, e.maxMin)
		}
		// Runs of work and of rest.
		day := 0
		for day < d.days {
			working := row[day] != "-"
			end := day
			for end+1 < d.days && (row[end+1] != "-") == working {
				end++
			}
			length := end - day + 1
			touches := day == 0 || end == d.days-1
			if working {
				if length > e.maxCons {
					bad("%s: %d consecutive shifts from day %d", e.id, length, day)
				}
				if !touches && length < e.minCons {
					bad("%s: only %d consecutive shifts from day %d", e.id, length, day)
				}
			} else if !touches && length < e.minOff {
				bad("%s: only %d days off from day %d", e.id, length, day)
			}
			day = end + 1
		}
		weekends := 0
		for sat := 5; sat < d.days; sat += 7 {
			if row[sat] != "-" || (sat+1 < d.days && row[sat+1] != "-") {
				weekends++
			}
		}
		if weekends > e.maxWeekends {
			bad("%s: %d weekends > %d", e.id, weekends, e.maxWeekends)
		}
	}
	cell := func(emp string, day int) string {
		if row, ok := grid[emp]; ok && day >= 0 && day < len(row) {
			return row[day]
		}
		return "-"
	}
	for _, r := range d.on {
		if cell(r.emp, r.day) != r.shift {
			res.Objective += r.w
		}
	}
	for _, r := range d.off {
		if cell(r.emp, r.day) == r.shift {
			res.Objective += r.w
		}
	}
	for _, c := range d.coverRows {
		n := 0
		for _, e := range d.staff {
			if grid[e.id][c.day] == c.shift {
				n++
			}
		}
		if n < c.req {
			res.Objective += c.wu * (c.req - n)
		} else {
			res.Objective += c.wo * (n - c.req)
		}
	}
	res.Feasible = len(res.Violations) == 0
	return res, nil
}
