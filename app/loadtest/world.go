package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/copbank/copbank/app/demo"
)

// login is one signed-in demo account.
type login struct {
	email, token string
	memberID     string // "" for the coordinator
}

// place is a position on a shift that bookings race for.
type place struct{ shiftID, positionID string }

// world is what the generator knows of the demo data and what it set up.
type world struct {
	coordinator login
	members     []login  // the demo members who book for themselves
	pool        []string // members the coordinator books
	places      []place  // the popular places
	shifts      []string // shifts whose pages are read
	areas       []string // the coordinator's areas: searched, matched
	postArea    string   // where coordinator posts go
	today       time.Time
}

// popularDemands are the demands whose places bookings race for: pairs
// meet at the same hours, so a member booked on one is refused the other.
const popularDemands = 4

// setUp signs in the demo accounts, reads the members the coordinator may
// book from the database, and posts the popular demands through the API.
func setUp(ctx context.Context, c *caller, base string, pg *sql.DB, poolSize int) (*world, error) {
	w := &world{today: time.Now()}
	signIn := func(email string) (login, error) {
		var out struct {
			Token string `json:"token"`
		}
		err := c.must(ctx, base, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": email, "password": demo.Password}, http.StatusOK, &out)
		l := login{email: email, token: out.Token}
		if err == nil {
			err = pg.QueryRowContext(ctx, `SELECT COALESCE(member_id, '') FROM users WHERE lower(email) = lower($1)`, email).Scan(&l.memberID)
		}
		return l, err
	}
	var err error
	if w.coordinator, err = signIn("coordinator@demo.copbank.uk"); err != nil {
		return nil, fmt.Errorf("sign in the demo coordinator: %w", err)
	}
	for _, e := range []string{"volunteer@demo.copbank.uk", "officer@demo.copbank.uk", "mentor@demo.copbank.uk"} {
		l, err := signIn(e)
		if err != nil {
			return nil, fmt.Errorf("sign in %s: %w", e, err)
		}
		if l.memberID != "" {
			w.members = append(w.members, l)
		}
	}

	// The coordinator's areas and every area beneath them.
	rows, err := pg.QueryContext(ctx, `SELECT a.code FROM user_areas ua JOIN areas a ON a.id = ua.area_id
		JOIN users u ON u.id = ua.user_id WHERE lower(u.email) = 'coordinator@demo.copbank.uk' ORDER BY a.code`)
	if err == nil {
		for rows.Next() {
			var code string
			if rows.Scan(&code) == nil {
				w.areas = append(w.areas, code)
			}
		}
		rows.Close()
	}
	if len(w.areas) == 0 {
		w.areas = []string{"DARL", "DUR-CC"}
	}
	_ = pg.QueryRowContext(ctx, `SELECT c.code FROM areas c JOIN areas p ON p.id = c.parent_id WHERE p.code = $1 ORDER BY c.code LIMIT 1`,
		w.areas[0]).Scan(&w.postArea)
	if w.postArea == "" {
		w.postArea = w.areas[0]
	}
	// Members who hear of bookings by email (the default) and live in
	// the coordinator's areas: every confirmation of theirs must be mailed.
	rows, err = pg.QueryContext(ctx, `WITH RECURSIVE scope AS (
			SELECT id FROM areas WHERE code = ANY(string_to_array($1, ','))
			UNION SELECT a.id FROM areas a JOIN scope s ON a.parent_id = s.id)
		SELECT m.id FROM members m WHERE m.home_area_id IN (SELECT id FROM scope) AND m.status = 'active'
			AND m.email <> '' AND m.preferences NOT LIKE '%"booking"%'
			AND m.id NOT IN (SELECT member_id FROM users WHERE member_id IS NOT NULL)
		ORDER BY m.id LIMIT $2`, strings.Join(w.areas, ","), poolSize)
	if err != nil {
		return nil, fmt.Errorf("members to book: %w", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		w.pool = append(w.pool, id)
	}
	rows.Close()
	if len(w.pool) == 0 {
		return nil, fmt.Errorf("no demo members in %v to book", w.areas)
	}

	for i := range popularDemands {
		day := w.today.AddDate(0, 0, 3+i/2).Format("2006-01-02")
		var d struct {
			Shifts []struct {
				ID        string `json:"id"`
				Positions []struct {
					ID string `json:"id"`
				} `json:"positions"`
			} `json:"shifts"`
		}
		err := c.must(ctx, base, http.MethodPost, "/api/v1/demands", w.coordinator.token, map[string]any{
			"title": fmt.Sprintf("Load test: popular patrol %d", i+1), "problem_type": "asb", "area": w.postArea,
			"booking_mode": "open", "timezone": "Europe/London", "start_local": day + "T18:00", "end_local": day + "T22:00",
			"rrule": "FREQ=WEEKLY;COUNT=3",
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer", "bank_officer", "mentor"},
				"min_vetting": "none", "headcount": 2}}}, http.StatusCreated, &d)
		if err != nil {
			return nil, fmt.Errorf("post a popular demand: %w", err)
		}
		for _, sh := range d.Shifts {
			w.shifts = append(w.shifts, sh.ID)
			for _, p := range sh.Positions {
				w.places = append(w.places, place{shiftID: sh.ID, positionID: p.ID})
			}
		}
	}
	rows, err = pg.QueryContext(ctx, `SELECT id FROM shifts WHERE status = 'scheduled' AND starts_at > now() ORDER BY starts_at LIMIT 200`)
	if err == nil {
		for rows.Next() {
			var id string
			if rows.Scan(&id) == nil {
				w.shifts = append(w.shifts, id)
			}
		}
		rows.Close()
	}
	return w, nil
}
