package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"
)

// outcome is what the generator learnt of one booking it asked for, as the
// check needs it.
type outcome struct {
	key                 string
	shiftID, positionID string
	memberID            string
	code                int    // 0: no definite answer
	bookingID, status   string // of a 2xx
	cancelled           bool   // the generator's cancellation of it answered 2xx
	cancelUnknown       bool   // a cancellation of it got no definite answer
}

// findings is the check's result: each list names what broke.
type findings struct {
	overHeadcount   []string // shift/position: active bookings over the headcount
	overlaps        []string // member: two active bookings that overlap
	lost            []string // a 2xx booking missing, or not in the state the client was told
	phantoms        []string // a booking on the popular places no client was told of
	duplicates      []string // one (member, shift, position) booked twice, or one key answered with two bookings
	refusedPresent  int      // refused attempts whose place holds a booking no client was told of
	ambiguous       int      // attempts with no definite answer; either outcome is allowed
	ambiguousBooked int      // … of which the database holds the booking
	confirmations   int      // confirmed bookings whose email was due
	unsentMail      []string // a confirmed booking whose confirmation email never arrived
	duplicateMail   int      // confirmations delivered more than once with one Message-ID
	mixedMessageIDs []string // one confirmation delivered under two Message-IDs
	jobsLost        []string // booking notices discarded or never enqueued
	jobsPending     int      // jobs not yet worked when the check ran
}

func (f findings) broken() bool {
	return len(f.overHeadcount)+len(f.overlaps)+len(f.lost)+len(f.phantoms)+len(f.duplicates)+len(f.unsentMail)+
		len(f.mixedMessageIDs)+len(f.jobsLost)+f.refusedPresent > 0
}

// checkDatabase holds the database to the invariants: no place over its
// headcount and no member in two places at once (anywhere in it), and on
// the places the generator booked, every booking it was told of there as
// told and none it was not. mail, if not nil, is what the SMTP sink got.
func checkDatabase(ctx context.Context, pg *sql.DB, outs []outcome, places []place, mail []sentMail) (findings, error) {
	var f findings
	rows, err := pg.QueryContext(ctx, `SELECT sp.shift_id, sp.position_id, sp.headcount, count(b.id)
		FROM shift_positions sp JOIN bookings b ON b.shift_id = sp.shift_id AND b.position_id = sp.position_id
		WHERE b.status IN ('offered', 'pending', 'confirmed')
		GROUP BY sp.shift_id, sp.position_id, sp.headcount HAVING count(b.id) > sp.headcount`)
	if err != nil {
		return f, fmt.Errorf("headcount: %w", err)
	}
	for rows.Next() {
		var sh, pos string
		var head, n int
		if err := rows.Scan(&sh, &pos, &head, &n); err != nil {
			rows.Close()
			return f, err
		}
		f.overHeadcount = append(f.overHeadcount, fmt.Sprintf("shift %s position %s: %d active bookings for %d places", sh, pos, n, head))
	}
	rows.Close()

	rows, err = pg.QueryContext(ctx, `SELECT a.member_id, a.id, b.id FROM bookings a JOIN bookings b
		ON a.member_id = b.member_id AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
		WHERE a.status IN ('offered', 'pending', 'confirmed') AND b.status IN ('offered', 'pending', 'confirmed')`)
	if err != nil {
		return f, fmt.Errorf("overlap: %w", err)
	}
	for rows.Next() {
		var m, x, y string
		if err := rows.Scan(&m, &x, &y); err != nil {
			rows.Close()
			return f, err
		}
		f.overlaps = append(f.overlaps, fmt.Sprintf("member %s: bookings %s and %s overlap", m, x, y))
	}
	rows.Close()

	rows, err = pg.QueryContext(ctx, `SELECT member_id, shift_id, position_id, count(*) FROM bookings
		WHERE status IN ('offered', 'pending', 'confirmed', 'waitlisted')
		GROUP BY member_id, shift_id, position_id HAVING count(*) > 1`)
	if err != nil {
		return f, fmt.Errorf("duplicates: %w", err)
	}
	for rows.Next() {
		var m, sh, pos string
		var n int
		if err := rows.Scan(&m, &sh, &pos, &n); err != nil {
			rows.Close()
			return f, err
		}
		f.duplicates = append(f.duplicates, fmt.Sprintf("member %s holds %d bookings of shift %s position %s", m, n, sh, pos))
	}
	rows.Close()

	// Every booking on the generator's places, to hold against what
	// clients were told.
	type row struct{ id, shift, pos, member, status string }
	inDB := map[string]row{}
	var shiftIDs []string
	seenShift := map[string]bool{}
	for _, p := range places {
		if !seenShift[p.shiftID] {
			seenShift[p.shiftID] = true
			shiftIDs = append(shiftIDs, p.shiftID)
		}
	}
	if len(shiftIDs) > 0 {
		rows, err = pg.QueryContext(ctx, `SELECT id, shift_id, position_id, member_id, status FROM bookings
			WHERE shift_id = ANY(string_to_array($1, ','))`, strings.Join(shiftIDs, ","))
		if err != nil {
			return f, fmt.Errorf("bookings: %w", err)
		}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.shift, &r.pos, &r.member, &r.status); err != nil {
				rows.Close()
				return f, err
			}
			inDB[r.id] = r
		}
		rows.Close()
	}
	told := map[string]bool{}
	byKey := map[string]string{}
	placeKey := func(member, shift, pos string) string { return member + "|" + shift + "|" + pos }
	ambiguousAt := map[string]int{}
	refusedAt := map[string]int{}
	for _, o := range outs {
		switch {
		case o.code >= 200 && o.code < 300:
			if prev, ok := byKey[o.key]; ok && prev != o.bookingID {
				f.duplicates = append(f.duplicates, fmt.Sprintf("Idempotency-Key %s answered with bookings %s and %s", o.key, prev, o.bookingID))
			}
			byKey[o.key] = o.bookingID
			told[o.bookingID] = true
			r, ok := inDB[o.bookingID]
			switch {
			case !ok:
				f.lost = append(f.lost, fmt.Sprintf("booking %s (member %s, %d %s) is not in the database", o.bookingID, o.memberID, o.code, o.status))
			case o.cancelled && r.status != "cancelled":
				f.lost = append(f.lost, fmt.Sprintf("booking %s was cancelled (2xx) but is %s", o.bookingID, r.status))
			case !o.cancelled && !o.cancelUnknown && r.status != o.status:
				f.lost = append(f.lost, fmt.Sprintf("booking %s was answered %s but is %s", o.bookingID, o.status, r.status))
			case o.cancelUnknown && r.status != o.status && r.status != "cancelled":
				f.lost = append(f.lost, fmt.Sprintf("booking %s was answered %s, its cancellation had no answer, and it is %s", o.bookingID, o.status, r.status))
			}
		case o.code == 0:
			f.ambiguous++
			ambiguousAt[placeKey(o.memberID, o.shiftID, o.positionID)]++
		default:
			refusedAt[placeKey(o.memberID, o.shiftID, o.positionID)]++
		}
	}
	for id, r := range inDB {
		if told[id] {
			continue
		}
		k := placeKey(r.member, r.shift, r.pos)
		if ambiguousAt[k] > 0 {
			// A request whose answer never came may have committed.
			ambiguousAt[k]--
			f.ambiguousBooked++
			continue
		}
		f.phantoms = append(f.phantoms, fmt.Sprintf("booking %s (member %s, %s) on shift %s: no client was told of it", id, r.member, r.status, r.shift))
		f.refusedPresent += refusedAt[k]
	}

	if mail != nil {
		if err := checkMail(ctx, pg, &f, outs, mail); err != nil {
			return f, err
		}
	}
	return f, nil
}

// checkMail asks of every booking confirmed to a client whose member takes
// email that its confirmation arrived at least once, always with the same
// Message-ID, and that its notice job was worked.
func checkMail(ctx context.Context, pg *sql.DB, f *findings, outs []outcome, mail []sentMail) error {
	type got struct {
		n   int
		ids map[string]bool
	}
	confirmations := map[string]*got{}
	for _, m := range mail {
		if m.bookingID == "" || !strings.HasPrefix(m.subject, "Place confirmed") {
			continue
		}
		g := confirmations[m.bookingID]
		if g == nil {
			g = &got{ids: map[string]bool{}}
			confirmations[m.bookingID] = g
		}
		g.n++
		g.ids[m.messageID] = true
	}
	jobs := map[string]string{}
	rows, err := pg.QueryContext(ctx, `SELECT args->>'booking_id', state FROM river_job
		WHERE kind = 'booking_notice' AND args->>'event' = 'booking.confirmed'`)
	if err != nil {
		return fmt.Errorf("booking notice jobs: %w", err)
	}
	for rows.Next() {
		var id, state string
		if err := rows.Scan(&id, &state); err != nil {
			rows.Close()
			return err
		}
		if prev := jobs[id]; prev != "completed" {
			jobs[id] = state
		}
	}
	rows.Close()
	for _, o := range outs {
		if o.code < 200 || o.code >= 300 || o.status != "confirmed" {
			continue
		}
		f.confirmations++
		switch st, ok := jobs[o.bookingID]; {
		case !ok:
			f.jobsLost = append(f.jobsLost, fmt.Sprintf("booking %s: no confirmation job", o.bookingID))
		case st == "discarded" || st == "cancelled":
			f.jobsLost = append(f.jobsLost, fmt.Sprintf("booking %s: confirmation job %s", o.bookingID, st))
		case st != "completed":
			f.jobsPending++
		}
		g := confirmations[o.bookingID]
		switch {
		case g == nil:
			f.unsentMail = append(f.unsentMail, fmt.Sprintf("booking %s (member %s): no confirmation email", o.bookingID, o.memberID))
		case len(g.ids) > 1:
			f.mixedMessageIDs = append(f.mixedMessageIDs, fmt.Sprintf("booking %s: %d emails under %d Message-IDs", o.bookingID, g.n, len(g.ids)))
		case g.n > 1:
			f.duplicateMail += g.n - 1
		}
	}
	return nil
}

// print writes the findings, first lines of each broken invariant included.
func (f findings) print(w io.Writer) {
	line := func(what string, bad []string) {
		mark := "ok  "
		if len(bad) > 0 {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "  %s %-52s %d\n", mark, what, len(bad))
		for i, b := range bad {
			if i == 5 {
				fmt.Fprintf(w, "         … and %d more\n", len(bad)-5)
				break
			}
			fmt.Fprintf(w, "         %s\n", b)
		}
	}
	fmt.Fprintln(w, "invariants:")
	line("positions over headcount", f.overHeadcount)
	line("members in two overlapping bookings", f.overlaps)
	line("2xx bookings lost or not as answered", f.lost)
	line("bookings no client was told of (phantoms)", f.phantoms)
	line("duplicate bookings", f.duplicates)
	refused := []string(nil)
	if f.refusedPresent > 0 {
		refused = []string{fmt.Sprintf("%d refused attempt(s) whose place holds an untold booking", f.refusedPresent)}
	}
	line("refused (409) bookings present", refused)
	fmt.Fprintf(w, "  info attempts without an answer (either outcome allowed)  %d (%d of them booked)\n", f.ambiguous, f.ambiguousBooked)
	if f.confirmations > 0 || len(f.unsentMail) > 0 {
		line("confirmed bookings without a confirmation email", f.unsentMail)
		line("confirmations sent under two Message-IDs", f.mixedMessageIDs)
		line("confirmation jobs lost", f.jobsLost)
		fmt.Fprintf(w, "  info confirmations checked %d; repeats with the same Message-ID %d; jobs still pending %d\n",
			f.confirmations, f.duplicateMail, f.jobsPending)
	}
}

// drainJobs waits until no job is waiting to run or running, or timeout.
// Match runs are left out: one a killed server was running is retried only
// after its own ten-minute timeout, and no booking waits on it.
func drainJobs(ctx context.Context, pg *sql.DB, timeout time.Duration) (pending int, err error) {
	deadline := time.Now().Add(timeout)
	for {
		err = pg.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind <> 'match_run' AND (state IN ('available', 'running', 'retryable', 'pending')
			OR (state = 'scheduled' AND kind <> 'offer_expiry' AND scheduled_at < now() + interval '1 minute'))`).Scan(&pending)
		if err == nil && pending == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return pending, err
		}
		time.Sleep(500 * time.Millisecond)
	}
}
