package app

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// ImportColumns are the columns of a members CSV, in any order.
var ImportColumns = []string{"name", "email", "phone", "kinds", "home_area", "lat", "lon", "travel_km",
	"max_hours_per_week", "skills", "clearance", "clearance_expires_on"}

// Import bounds: a file larger than this is refused rather than half read.
const (
	maxImportRows   = 50000
	maxImportErrors = 1000
)

// ImportSkill is a skill named in an import row: "code" or "code:expires_on".
type ImportSkill struct {
	Code      string
	ExpiresOn *domain.Date
}

// MemberRow is one parsed row of a members CSV. Nil numbers and empty text
// mean "not given": the default for a new member, unchanged for an existing one.
type MemberRow struct {
	Line               int // the line of the file the row starts on (the header is line 1)
	Name               string
	Email              string
	Phone              string
	Kinds              []domain.Kind
	HomeArea           string
	Lat, Lon           *float64
	TravelKm           *float64
	MaxHoursPerWeek    *float64
	Skills             []ImportSkill
	Clearance          domain.ClearanceType
	ClearanceExpiresOn *domain.Date
}

// ImportReport says what an import did, or every row and field that stopped it.
type ImportReport struct {
	Created, Updated, Unchanged int
	// Errors name "row N: field" for every bad value; when there are any,
	// nothing was written.
	Errors []domain.FieldError
}

// rowError names a field of a row the way the report shows it.
func rowError(line int, field, msg string) domain.FieldError {
	return domain.FieldError{Field: fmt.Sprintf("row %d: %s", line, field), Message: msg}
}

// ParseMemberCSV reads a members CSV (header first; lists ';'-separated) and
// checks each row's syntax, naming every bad row and field. It never panics on
// any input (FuzzImport holds it to that).
func ParseMemberCSV(r io.Reader) ([]MemberRow, []domain.FieldError) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []domain.FieldError{{Field: "header", Message: "the file is empty; the first line names the columns: " + strings.Join(ImportColumns, ",")}}
		}
		return nil, []domain.FieldError{{Field: "header", Message: "cannot be read: " + csvMessage(err)}}
	}
	col := map[string]int{}
	var errs []domain.FieldError
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case !slices.Contains(ImportColumns, h):
			errs = append(errs, domain.FieldError{Field: "header", Message: fmt.Sprintf("column %d (%q) is not one of: %s", i+1, h, strings.Join(ImportColumns, ","))})
		case col[h] != 0:
			errs = append(errs, domain.FieldError{Field: "header", Message: fmt.Sprintf("column %q appears twice", h)})
		default:
			col[h] = i + 1
		}
	}
	for _, c := range ImportColumns {
		if col[c] == 0 {
			errs = append(errs, domain.FieldError{Field: "header", Message: fmt.Sprintf("column %q is missing", c)})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var rows []MemberRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			errs = append(errs, rowError(line, "csv", csvMessage(err)))
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= maxImportRows {
			errs = append(errs, domain.FieldError{Field: fmt.Sprintf("row %d", line), Message: fmt.Sprintf("the file has more than %d rows; split it", maxImportRows)})
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			errs = append(errs, rowError(line, "csv", fmt.Sprintf("has %d columns, the header %d", len(rec), len(header))))
			continue
		}
		cell := func(name string) string { return strings.TrimSpace(rec[col[name]-1]) }
		row, rowErrs := parseMemberRow(line, cell)
		errs = append(errs, rowErrs...)
		rows = append(rows, row)
		if len(errs) >= maxImportErrors {
			break
		}
	}
	return rows, errs
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func parseMemberRow(line int, cell func(string) string) (MemberRow, []domain.FieldError) {
	row := MemberRow{Line: line, Name: cell("name"), Email: cell("email"), Phone: cell("phone"), HomeArea: cell("home_area")}
	var errs []domain.FieldError
	bad := func(field, msg string) { errs = append(errs, rowError(line, field, msg)) }
	if row.Name == "" {
		bad("name", "is required")
	}
	if addr, err := mail.ParseAddress(row.Email); err != nil || addr.Address != row.Email {
		bad("email", "must be an email address such as sam@example.org")
	}
	if row.HomeArea == "" {
		bad("home_area", "is required: an area code such as DARL-N1")
	}
	for i, k := range splitList(cell("kinds")) {
		if !domain.ValidKind(domain.Kind(k)) {
			bad(fmt.Sprintf("kinds[%d]", i), fmt.Sprintf("%q is not one of volunteer, bank_officer, mentor", k))
		}
		row.Kinds = append(row.Kinds, domain.Kind(k))
	}
	if len(row.Kinds) == 0 {
		bad("kinds", "name at least one of volunteer, bank_officer, mentor, separated by ;")
	}
	num := func(name string) *float64 {
		v := cell(name)
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f != f { // NaN is not a number we store
			bad(name, fmt.Sprintf("%q is not a number", v))
			return nil
		}
		return &f
	}
	row.Lat, row.Lon = num("lat"), num("lon")
	row.TravelKm, row.MaxHoursPerWeek = num("travel_km"), num("max_hours_per_week")
	for i, item := range splitList(cell("skills")) {
		sk := ImportSkill{Code: item}
		if j := strings.LastIndex(item, ":"); j > 0 {
			if d, err := domain.ParseDate(item[j+1:]); err == nil {
				sk = ImportSkill{Code: item[:j], ExpiresOn: &d}
			} else if looksLikeDate(item[j+1:]) {
				bad(fmt.Sprintf("skills[%d]", i), fmt.Sprintf("%q: the expiry must be a date like 2029-01-10", item))
			}
		}
		if !skillCodeRE.MatchString(sk.Code) {
			bad(fmt.Sprintf("skills[%d]", i), fmt.Sprintf("%q is not a skill code (code or code:YYYY-MM-DD)", item))
		}
		row.Skills = append(row.Skills, sk)
	}
	if c := cell("clearance"); c != "" {
		row.Clearance = domain.ClearanceType(c)
		if !domain.ValidClearanceType(row.Clearance) {
			bad("clearance", "must be one of: NPPV1, NPPV2, NPPV3, dbs_enhanced_children, dbs_enhanced_adults")
		}
	}
	switch v := cell("clearance_expires_on"); {
	case v == "" && row.Clearance != "":
		bad("clearance_expires_on", "is required with a clearance")
	case v != "" && row.Clearance == "":
		bad("clearance_expires_on", "needs a clearance")
	case v != "":
		d, err := domain.ParseDate(v)
		if err != nil {
			bad("clearance_expires_on", "must be a date like 2030-06-01")
		} else {
			row.ClearanceExpiresOn = &d
		}
	}
	return row, errs
}

// looksLikeDate reports a suffix meant as a date ("2029-13-01"), as opposed
// to part of a code such as "lived:addiction".
func looksLikeDate(s string) bool {
	return s != "" && strings.Trim(s, "0123456789-") == "" && strings.Contains(s, "-")
}

func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ";") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// ImportMembers creates or updates members from a CSV, all or nothing in one
// transaction. Admins only. A row whose email (in any case) belongs to a
// member updates that member; cells left empty keep what is stored; skills
// and a clearance are added, never removed; a row that changes nothing is
// counted unchanged. Every bad row and field is reported in the returned
// report and in the invalid error, and then nothing is written.
func (a *App) ImportMembers(ctx context.Context, p *domain.Principal, r io.Reader) (ImportReport, error) {
	if !p.IsAdmin() {
		return ImportReport{}, forbidden("only an admin may import members")
	}
	rows, errs := ParseMemberCSV(r)
	if len(errs) > 0 {
		return refuseImport(errs)
	}
	var report ImportReport
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		report = ImportReport{}
		plans, errs, err := a.planImport(ctx, tx, rows)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			report.Errors = errs
			return errImportRefused
		}
		for _, pl := range plans {
			if err := a.applyImport(ctx, tx, p, pl); err != nil {
				return fmt.Errorf("row %d: %w", pl.line, err)
			}
			switch {
			case pl.create:
				report.Created++
			case pl.changed():
				report.Updated++
			default:
				report.Unchanged++
			}
		}
		return a.audit(ctx, tx, p, auditEvent{action: "import.members", entity: "import", entityID: "",
			after: map[string]any{"rows": len(rows), "created": report.Created, "updated": report.Updated, "unchanged": report.Unchanged}})
	})
	if errors.Is(err, errImportRefused) {
		return refuseImport(report.Errors)
	}
	if err != nil {
		return ImportReport{}, err
	}
	return report, nil
}

var errImportRefused = errors.New("import refused")

func refuseImport(errs []domain.FieldError) (ImportReport, error) {
	rows := map[string]bool{}
	for _, e := range errs {
		row, _, _ := strings.Cut(e.Field, ":")
		rows[row] = true
	}
	return ImportReport{Errors: errs}, domain.Invalid(fmt.Sprintf("the import was refused (%d problem(s) in %d row(s) or the header); nothing was written", len(errs), len(rows)), errs...)
}

// importPlan is what one row will do.
type importPlan struct {
	line          int
	create        bool
	member        domain.Member // the member as it will be stored
	memberChanged bool
	old           domain.Member        // the member as stored before, when not a creation
	skills        []domain.MemberSkill // holdings to put
	clearance     *domain.Clearance    // a clearance to add
}

func (pl importPlan) changed() bool {
	return pl.memberChanged || len(pl.skills) > 0 || pl.clearance != nil
}

// planImport checks every row against the database and works out its changes.
func (a *App) planImport(ctx context.Context, tx *db.Store, rows []MemberRow) ([]importPlan, []domain.FieldError, error) {
	var (
		errs   []domain.FieldError
		plans  []importPlan
		seen   = map[string]int{}
		areas  = map[string]*domain.Area{}
		skills = map[string]*domain.Skill{}
	)
	now := a.Now()
	today := domain.DateOf(now.In(a.Config.TimeZone))
	for _, row := range rows {
		bad := func(field, msg string) { errs = append(errs, rowError(row.Line, field, msg)) }
		key := strings.ToLower(row.Email)
		if first, dup := seen[key]; dup {
			bad("email", fmt.Sprintf("is the same as row %d's; a member appears once", first))
			continue
		}
		seen[key] = row.Line

		area, ok := areas[row.HomeArea]
		if !ok {
			ar, err := tx.AreaByCode(ctx, row.HomeArea)
			if err != nil && domain.ErrorCode(err) != domain.ENotFound {
				return nil, nil, err
			}
			if err == nil {
				area = &ar
			}
			areas[row.HomeArea] = area
		}
		if area == nil {
			bad("home_area", fmt.Sprintf("no area has the code %q", row.HomeArea))
			continue
		}

		pl := importPlan{line: row.Line}
		existing, err := tx.MemberByEmail(ctx, row.Email)
		switch {
		case domain.ErrorCode(err) == domain.ENotFound:
			pl.create = true
			d := domain.DefaultsFor(row.Kinds)
			pl.member = domain.Member{ID: NewID(), Name: row.Name, Email: row.Email, Phone: row.Phone, Kinds: row.Kinds,
				HomeAreaID: area.ID, HomeAreaCode: area.Code, Lat: row.Lat, Lon: row.Lon,
				TravelKm: orDefault(row.TravelKm, domain.DefaultTravelKm), MaxHoursPerWeek: orDefault(row.MaxHoursPerWeek, d.MaxHoursPerWeek),
				MinRestHours: d.MinRestHours, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
		case err != nil:
			return nil, nil, err
		default:
			pl.old = existing
			pl.member = importedOver(existing, row, *area)
			pl.memberChanged = !sameMember(existing, pl.member)
			if pl.memberChanged {
				pl.member.UpdatedAt = now
			}
		}
		for _, fe := range validateMember(pl.member) {
			bad(fe.Field, fe.Message)
		}

		var held []domain.MemberSkill
		if !pl.create {
			if held, err = tx.MemberSkills(ctx, pl.member.ID); err != nil {
				return nil, nil, err
			}
		}
		for i, is := range row.Skills {
			sk, ok := skills[is.Code]
			if !ok {
				s, err := tx.SkillByCode(ctx, is.Code)
				if err != nil && domain.ErrorCode(err) != domain.ENotFound {
					return nil, nil, err
				}
				if err == nil {
					sk = &s
				}
				skills[is.Code] = sk
			}
			field := fmt.Sprintf("skills[%d]", i)
			if sk == nil {
				bad(field, fmt.Sprintf("no skill has the code %q", is.Code))
				continue
			}
			if h := slices.IndexFunc(held, func(h domain.MemberSkill) bool { return h.SkillID == sk.ID }); h >= 0 {
				cur := held[h]
				if is.ExpiresOn == nil || (cur.ExpiresOn != nil && *cur.ExpiresOn == *is.ExpiresOn) {
					continue // held as the row says
				}
				if domain.IsLived(sk.Code) {
					bad(field, "lived experience never expires; give the code alone")
					continue
				}
				if !cur.ObtainedOn.Before(*is.ExpiresOn) {
					bad(field, "the expiry must be after the day the skill was obtained, "+cur.ObtainedOn.String())
					continue
				}
				cur.ExpiresOn = is.ExpiresOn
				pl.skills = append(pl.skills, cur)
				continue
			}
			in := SkillHolding{ObtainedOn: today.String()}
			if is.ExpiresOn != nil {
				e := is.ExpiresOn.String()
				in.ExpiresOn = &e
			}
			ms, err := skillHolding(*sk, in)
			if err != nil {
				var de *domain.Error
				if errors.As(err, &de) && len(de.Fields) > 0 {
					bad(field, de.Fields[0].Message)
				} else {
					bad(field, domain.ErrorMessage(err))
				}
				continue
			}
			ms.MemberID = pl.member.ID
			pl.skills = append(pl.skills, ms)
		}

		if row.Clearance != "" {
			var cs []domain.Clearance
			if !pl.create {
				if cs, err = tx.Clearances(ctx, pl.member.ID); err != nil {
					return nil, nil, err
				}
			}
			if !slices.ContainsFunc(cs, func(c domain.Clearance) bool {
				return c.Type == row.Clearance && c.ExpiresOn == *row.ClearanceExpiresOn
			}) {
				if !today.Before(*row.ClearanceExpiresOn) {
					bad("clearance_expires_on", "must be after today, the day the clearance is recorded as granted")
				} else {
					pl.clearance = &domain.Clearance{ID: NewID(), MemberID: pl.member.ID, Type: row.Clearance, GrantedOn: today,
						ExpiresOn: *row.ClearanceExpiresOn, Status: domain.ClearanceActive, CreatedAt: now, UpdatedAt: now}
				}
			}
		}
		plans = append(plans, pl)
	}
	return plans, errs, nil
}

// importedOver is m with a row's given cells applied.
func importedOver(m domain.Member, row MemberRow, area domain.Area) domain.Member {
	out := m
	out.Name = row.Name
	if row.Phone != "" {
		out.Phone = row.Phone
	}
	out.Kinds = row.Kinds
	out.HomeAreaID, out.HomeAreaCode = area.ID, area.Code
	if row.Lat != nil || row.Lon != nil {
		out.Lat, out.Lon = row.Lat, row.Lon
	}
	if row.TravelKm != nil {
		out.TravelKm = *row.TravelKm
	}
	was, now := domain.DefaultsFor(m.Kinds), domain.DefaultsFor(row.Kinds)
	switch {
	case row.MaxHoursPerWeek != nil:
		out.MaxHoursPerWeek = *row.MaxHoursPerWeek
	case m.MaxHoursPerWeek == was.MaxHoursPerWeek:
		out.MaxHoursPerWeek = now.MaxHoursPerWeek
	}
	if m.MinRestHours == was.MinRestHours {
		out.MinRestHours = now.MinRestHours
	}
	return out
}

func sameMember(a, b domain.Member) bool {
	eqF := func(x, y *float64) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	return a.Name == b.Name && a.Email == b.Email && a.Phone == b.Phone && slices.Equal(a.Kinds, b.Kinds) &&
		a.HomeAreaID == b.HomeAreaID && eqF(a.Lat, b.Lat) && eqF(a.Lon, b.Lon) && a.TravelKm == b.TravelKm &&
		a.MaxHoursPerWeek == b.MaxHoursPerWeek && a.MinRestHours == b.MinRestHours
}

func (a *App) applyImport(ctx context.Context, tx *db.Store, p *domain.Principal, pl importPlan) error {
	m := pl.member
	switch {
	case pl.create:
		if err := tx.CreateMember(ctx, m); err != nil {
			return err
		}
		_, after := memberChange(nil, m)
		if err := a.audit(ctx, tx, p, auditEvent{action: "member.create", entity: "member", entityID: m.ID, memberID: m.ID, after: after}); err != nil {
			return err
		}
	case pl.memberChanged:
		if err := tx.UpdateMember(ctx, m); err != nil {
			return err
		}
		before, after := memberChange(&pl.old, m)
		if err := a.audit(ctx, tx, p, auditEvent{action: "member.update", entity: "member", entityID: m.ID, memberID: m.ID,
			before: before, after: after}); err != nil {
			return err
		}
	}
	for _, ms := range pl.skills {
		if err := tx.PutMemberSkill(ctx, ms); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "member.skill.put", entity: "member_skill", entityID: m.ID + "/" + ms.Code,
			memberID: m.ID, after: map[string]any{"member_id": m.ID, "skill": ms.Code, "obtained_on": ms.ObtainedOn, "expires_on": ms.ExpiresOn}}); err != nil {
			return err
		}
	}
	if pl.clearance != nil {
		if err := tx.CreateClearance(ctx, *pl.clearance); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "clearance.create", entity: "clearance", entityID: pl.clearance.ID, memberID: m.ID,
			after: clearanceState(*pl.clearance)})
	}
	return nil
}
