package app

import (
	"context"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Subject access and erasure: a member's whole record can be exported to
// them, and erased (anonymised, keeping only what the audit and the law need).

// MemberExport is everything held about a member: the member record, the
// rows of every table with a member_id column (their accounts without
// password hashes, skills, clearances, availability, leave, bookings,
// expense claims, the audit entries about them…) keyed by table name, and the
// sign-in attempts made with their email.
type MemberExport struct {
	MemberID      string
	ExportedAt    time.Time
	Member        map[string]any
	Tables        map[string][]map[string]any
	LoginAttempts []map[string]any
}

// ExportMember gathers everything held about a member for the member
// themselves or an admin; a coordinator who manages the member is forbidden,
// anyone else is told there is no such member. The export is written to the
// audit log in the same transaction.
func (a *App) ExportMember(ctx context.Context, p *domain.Principal, id string) (MemberExport, error) {
	var out MemberExport
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		m, reach, err := a.reachMember(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if reach != reachSelf && !p.IsAdmin() {
			return forbidden("only the member themselves or an admin may export a member's data")
		}
		out = MemberExport{MemberID: m.ID, ExportedAt: a.Now(), Tables: map[string][]map[string]any{}}
		rows, err := tx.RowsWhere(ctx, "members", "id", m.ID)
		if err != nil {
			return err
		}
		if len(rows) == 1 {
			out.Member = rows[0]
		}
		tables, err := tx.MemberTables(ctx)
		if err != nil {
			return err
		}
		for _, t := range tables {
			if out.Tables[t], err = tx.RowsWhere(ctx, t, "member_id", m.ID); err != nil {
				return err
			}
		}
		if out.LoginAttempts, err = tx.LoginAttempts(ctx, m.Email); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "member.export", entity: "member", entityID: m.ID, memberID: m.ID,
			after: map[string]any{"member_id": m.ID, "tables": tables}})
	})
	return out, err
}

// Kept is something erasure keeps, and why.
type Kept struct {
	What string
	Why  string
}

// Erasure is the answer to an erasure: what was anonymised, removed,
// cancelled and kept.
type Erasure struct {
	MemberID          string
	Anonymised        []string
	Removed           map[string]int64
	CancelledBookings int
	Kept              []Kept
}

// EraseMember anonymises a member (admins only; forbidden for a coordinator
// who manages them, not found for anyone else): personal fields replaced,
// skills, clearances, availability and leave removed, every account that
// signs in as them anonymised, disabled and its tokens revoked, the
// addresses of their requests blanked in the audit log, and their future
// bookings cancelled with the places passed to the waitlist. What reports
// and the law need is kept, pseudonymised, and the answer says why.
func (a *App) EraseMember(ctx context.Context, p *domain.Principal, id string) (Erasure, error) {
	var out Erasure
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		m, _, err := a.reachMember(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !p.IsAdmin() {
			return forbidden("only an admin may erase a member")
		}
		if err := tx.LockMember(ctx, m.ID); err != nil {
			return err
		}
		out, err = a.erase(ctx, tx, p, m, "member.erase", nil)
		return err
	})
	return out, err
}

// erase anonymises m inside tx, which holds m's lock, and records it in the
// audit log as action with note added to the entry's after. EraseMember and
// the retention job share it.
func (a *App) erase(ctx context.Context, tx *db.Store, p *domain.Principal, m domain.Member, action string, note map[string]any) (Erasure, error) {
	now := a.Now()
	out := Erasure{MemberID: m.ID}
	err := func() error {
		// Future places go back to the waitlist by the usual cancel path.
		future, err := tx.MemberBookingsBetween(ctx, m.ID, now, now.AddDate(10, 0, 0), domain.BookingOffered,
			domain.BookingPending, domain.BookingConfirmed, domain.BookingWaitlisted)
		if err != nil {
			return err
		}
		for _, b := range future {
			if !b.Start.After(now) {
				continue
			}
			wasActive := b.Status.Active()
			b.CancelledBy = domain.CancelledByMember // erasure is the member's choice, never paid as a force cancellation
			if err := a.setCancelled(ctx, tx, p, &b, "the member's data was erased", now); err != nil {
				return err
			}
			if wasActive {
				if err := a.promote(ctx, tx, p, b.ShiftID, b.PositionID, now); err != nil {
					return err
				}
			}
			out.CancelledBookings++
		}
		if _, err := a.cancelFutureEnrolments(ctx, tx, p, m.ID, now); err != nil {
			return err
		}
		if out.Removed, err = tx.DeleteMemberHoldings(ctx, m.ID); err != nil {
			return err
		}
		if err := a.eraseApplicationsOf(ctx, tx, p, m); err != nil {
			return err
		}
		users, err := tx.UsersOfMember(ctx, m.ID)
		if err != nil {
			return err
		}
		placeholder := "Erased member " + shortID(m.ID)
		oldValues := []string{m.Name, m.Email}
		userIDs := make([]string, 0, len(users))
		for _, u := range users {
			userIDs = append(userIDs, u.ID)
			oldValues = append(oldValues, u.Name, u.Email)
			if err := tx.AnonymiseUser(ctx, u.ID, "erased-user-"+u.ID+"@erased.invalid", placeholder, now); err != nil {
				return err
			}
			if err := tx.RevokeUserTokens(ctx, u.ID, now); err != nil {
				return err
			}
			// An erased account never signs in again: its factor goes too.
			if _, err := tx.DeleteTOTP(ctx, u.ID); err != nil {
				return err
			}
		}
		for _, v := range oldValues {
			if err := tx.ForgetLoginAttempts(ctx, v); err != nil {
				return err
			}
			if err := tx.ScrubText(ctx, v, placeholder); err != nil {
				return err
			}
		}
		if err := tx.SpendLinksOf(ctx, m.ID, userIDs, now); err != nil {
			return err
		}
		if err := tx.DeleteCalendarFeeds(ctx, m.ID, userIDs); err != nil {
			return err
		}
		if err := tx.BlankAuditAddresses(ctx, userIDs); err != nil {
			return err
		}
		erased := m
		erased.Name, erased.Email, erased.Phone = placeholder, "erased-"+m.ID+"@erased.invalid", ""
		erased.Lat, erased.Lon, erased.Preferences = nil, nil, domain.Preferences{}
		erased.Status, erased.UpdatedAt = domain.MemberArchived, now
		if err := tx.UpdateMember(ctx, erased); err != nil {
			return err
		}
		out.Anonymised = []string{"name", "email", "phone", "lat", "lon", "preferences",
			"the accounts that signed in as the member (email, name, password; disabled, every token revoked)",
			"the network addresses of the member's requests in the audit log", "free text that quoted the name or email"}
		out.Kept = []Kept{
			{What: "the member record, pseudonymised: kinds, home area, caps, status archived",
				Why: "so that counts of members by area and kind in reports stay right"},
			{What: "past bookings (attended, no-show, cancelled), linked only to the pseudonymised record",
				Why: "hours given and attendance feed the reports; bank officers' hours are pay records, which the law requires to be kept for six years"},
			{What: "the audit log's entries about the member",
				Why: "the record that each event happened is kept for accountability; it holds no personal values (they are recorded by reference), and the addresses of the member's requests were blanked"},
			{What: "the disabled accounts, pseudonymised",
				Why: "so that audit entries still resolve to an account"},
		}
		before, after := memberChange(&m, erased)
		after["cancelled_bookings"], after["removed"] = out.CancelledBookings, out.Removed
		for k, v := range note {
			after[k] = v
		}
		return a.audit(ctx, tx, p, auditEvent{action: action, entity: "member", entityID: m.ID, memberID: m.ID,
			before: before, after: after})
	}()
	return out, err
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}
