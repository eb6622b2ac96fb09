package app

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// VET Agency applications: the public applies to an open opportunity, staff
// of the opportunity's area move the application along the pipeline
// (domain.CheckStageMove is the one rule), and the applicant may withdraw
// through the single-use link in their acknowledgement. Reaching active
// makes the applicant a member in the same transaction and invites them.
// Audit entries hold no personal values: an application's name, email,
// phone, postcode, motivation and notes are recorded by reference.

const (
	// withdrawTTL is how long the withdraw link in the acknowledgement works.
	withdrawTTL = 90 * 24 * time.Hour
	// Applications from one address: at most maxApplicationsPerAddr-1 in
	// applyWindow; the next is refused.
	applyWindow            = time.Minute
	maxApplicationsPerAddr = 10
	// attemptApply counts applications (login_attempts.kind).
	attemptApply = "apply"
)

// NewApplication is a public application as submitted.
type NewApplication struct {
	OpportunityID   string
	Name            string
	Email           string
	Phone           string
	Postcode        string
	Motivation      string
	LivedExperience []string
	Consent         bool
	// Website is the honeypot: a field people never see and bots fill.
	Website string
}

// ApplicationDetail is an application with its history and opportunity.
type ApplicationDetail struct {
	domain.Application
	Opportunity domain.Opportunity
	History     []domain.StageMove
}

// StageMoved is the answer to a stage move.
type StageMoved struct {
	Application domain.Application
	// MemberID is the member made or joined on reaching active.
	MemberID string
	// MemberCreated is false when an existing member got the kind instead.
	MemberCreated bool
	// Invited says an invitation to set a password was sent.
	Invited bool
}

// refusedApplication is the answer to an application a bot filled in: it
// says nothing of which field gave it away.
func refusedApplication() error {
	return domain.Errorf(domain.EInvalid, "the application could not be accepted; check it and send it again")
}

// Apply takes a public application to an open opportunity and emails the
// applicant an acknowledgement with a withdraw link. Nothing is stored when
// it is refused: too many from the caller's address in a minute (ETooMany),
// a filled honeypot (EInvalid naming no field), no consent, an opportunity
// that is not open, a lived-experience code not in the catalogue, or any
// other bad field (EInvalid naming each).
func (a *App) Apply(ctx context.Context, in NewApplication) (domain.Application, error) {
	now := a.Now()
	addr := RequestOf(ctx).Address
	_, byAddr, err := a.store.CountAttempts(ctx, attemptApply, "", addr, now.Add(-applyWindow))
	if err != nil {
		return domain.Application{}, err
	}
	if byAddr >= maxApplicationsPerAddr-1 {
		return domain.Application{}, domain.Errorf(domain.ETooMany, "too many applications from your address; try again in a minute")
	}
	// Every attempt counts, refused ones too, so a bot cannot probe freely.
	if err := a.store.RecordAttempt(ctx, attemptApply, "", addr, now); err != nil {
		return domain.Application{}, err
	}
	if strings.TrimSpace(in.Website) != "" {
		return domain.Application{}, refusedApplication()
	}
	app := domain.Application{ID: NewID(), OpportunityID: strings.TrimSpace(in.OpportunityID), Name: strings.TrimSpace(in.Name),
		Email: strings.TrimSpace(in.Email), Phone: strings.TrimSpace(in.Phone), Postcode: strings.ToUpper(strings.TrimSpace(in.Postcode)),
		Motivation: strings.TrimSpace(in.Motivation), LivedExperience: trimCodes(in.LivedExperience), Stage: domain.StageSubmitted,
		StageAt: now, CreatedAt: now, UpdatedAt: now}
	var fields []domain.FieldError
	opp, err := a.store.OpportunityByID(ctx, app.OpportunityID)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound || err == nil && opp.Status != domain.OpportunityOpen:
		fields = append(fields, domain.FieldError{Field: "opportunity_id", Message: "is not an opportunity open for applications"})
	case err != nil:
		return domain.Application{}, err
	}
	if app.Name == "" {
		fields = append(fields, domain.FieldError{Field: "name", Message: "is required"})
	}
	if e, err := mail.ParseAddress(app.Email); err != nil || e.Address != app.Email {
		fields = append(fields, domain.FieldError{Field: "email", Message: "must be an email address such as jo@example.org"})
	}
	if app.Phone == "" {
		fields = append(fields, domain.FieldError{Field: "phone", Message: "is required"})
	}
	if app.Postcode == "" {
		fields = append(fields, domain.FieldError{Field: "postcode", Message: "is required"})
	}
	if app.Motivation == "" {
		fields = append(fields, domain.FieldError{Field: "motivation", Message: "is required: tell us why you want to join"})
	}
	livedFields, err := a.checkLived(ctx, app.LivedExperience)
	if err != nil {
		return domain.Application{}, err
	}
	fields = append(fields, livedFields...)
	if !in.Consent {
		fields = append(fields, domain.FieldError{Field: "consent", Message: "must be given: we need your agreement to hold your details as the privacy notice explains"})
	}
	if len(fields) > 0 {
		return domain.Application{}, domain.Invalid("the application could not be accepted", fields...)
	}
	secret, err := newLinkSecret()
	if err != nil {
		return domain.Application{}, err
	}
	app.WithdrawHash, app.WithdrawExpiresAt = hashToken(secret), now.Add(withdrawTTL)
	// Lived experience is as personal as the name: recorded by reference.
	fieldsSet := []string{"name", "email", "phone", "postcode", "motivation"}
	if len(app.LivedExperience) > 0 {
		fieldsSet = append(fieldsSet, "lived_experience")
	}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateApplication(ctx, app); err != nil {
			return err
		}
		if err := tx.AddStageMove(ctx, domain.StageMove{ID: NewID(), ApplicationID: app.ID, To: domain.StageSubmitted,
			ByLabel: "applicant", At: now}); err != nil {
			return err
		}
		return a.audit(ctx, tx, nil, auditEvent{action: "application.create", entity: "application", entityID: app.ID, actorLabel: "applicant",
			after: map[string]any{"application_id": app.ID, "opportunity_id": app.OpportunityID, "stage": app.Stage,
				"consent": true, "fields_set": fieldsSet}})
	})
	if err != nil {
		return domain.Application{}, err
	}
	a.acknowledge(ctx, app, opp, secret)
	return app, nil
}

// checkLived names every lived-experience code that is not a lived: code
// in the skill catalogue.
func (a *App) checkLived(ctx context.Context, codes []string) ([]domain.FieldError, error) {
	var fields []domain.FieldError
	for i, code := range codes {
		field := fmt.Sprintf("lived_experience[%d]", i)
		if !domain.IsLived(code) {
			fields = append(fields, domain.FieldError{Field: field, Message: fmt.Sprintf("%q is not a lived-experience code (lived:…)", code)})
			continue
		}
		_, err := a.store.SkillByCode(ctx, code)
		if domain.ErrorCode(err) == domain.ENotFound {
			fields = append(fields, domain.FieldError{Field: field, Message: fmt.Sprintf("%q is not in the skill catalogue", code)})
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	return fields, nil
}

// acknowledge emails the applicant. The application stands whether or not
// the message goes: a failure is logged, not shown to the applicant.
func (a *App) acknowledge(ctx context.Context, app domain.Application, opp domain.Opportunity, secret string) {
	link := a.Config.BaseURL + "/applications/withdraw/" + secret
	msg, err := renderEmail(Message{To: app.Email, Subject: "We have your application: " + opp.Title, Link: link,
		Text: fmt.Sprintf("Thank you for applying to be a %s (%s). We will be in touch about the next steps. "+
			"If you change your mind, open the link below to withdraw your application "+
			"(or POST {\"token\": \"%s\"} to %s/api/v1/applications/withdraw). The link works once and expires on %s.",
			opp.Title, opp.AreaCode, secret, a.Config.BaseURL, app.WithdrawExpiresAt.In(a.Config.TimeZone).Format("2 January 2006"))},
		emailData{Name: app.Name})
	if err == nil {
		err = a.Notify.Send(ctx, msg)
	}
	if err != nil {
		a.Log.ErrorContext(ctx, "application acknowledgement not sent", "application_id", app.ID, "err", err)
	}
}

// reachApplication loads an application with its opportunity for an admin
// or a coordinator of the opportunity's area; not found for anyone else.
func (a *App) reachApplication(ctx context.Context, store *db.Store, p *domain.Principal, id string) (domain.Application, domain.Opportunity, error) {
	if !isCoordinating(p) || id == "" {
		return domain.Application{}, domain.Opportunity{}, notFound("application")
	}
	app, err := store.ApplicationByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.Application{}, domain.Opportunity{}, notFound("application")
	}
	if err != nil {
		return domain.Application{}, domain.Opportunity{}, err
	}
	opp, err := store.OpportunityByID(ctx, app.OpportunityID)
	if err != nil {
		return domain.Application{}, domain.Opportunity{}, err
	}
	if !coversArea(p, domain.Area{Path: opp.AreaPath}) {
		return domain.Application{}, domain.Opportunity{}, notFound("application")
	}
	return app, opp, nil
}

// Application reads an application with its history (admins, coordinators
// of the opportunity's area; not found for anyone else).
func (a *App) Application(ctx context.Context, p *domain.Principal, id string) (ApplicationDetail, error) {
	app, opp, err := a.reachApplication(ctx, a.store, p, id)
	if err != nil {
		return ApplicationDetail{}, err
	}
	h, err := a.store.StageMoves(ctx, app.ID)
	return ApplicationDetail{Application: app, Opportunity: opp, History: h}, err
}

// ApplicationQuery narrows an application list.
type ApplicationQuery struct {
	Stage         domain.Stage
	OpportunityID string
	After         string
	Limit         int
}

// Applications lists the applications to opportunities in the caller's
// scope (every one for an admin); forbidden for anyone but admins and
// coordinators. An unknown stage is invalid.
func (a *App) Applications(ctx context.Context, p *domain.Principal, q ApplicationQuery) ([]domain.Application, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only an admin or a coordinator may list applications")
	}
	if q.Stage != "" && !domain.ValidStage(q.Stage) {
		return nil, domain.FieldInvalid("stage", "must be one of: submitted, screening, references, vetting, training, active, rejected, withdrawn")
	}
	f := domain.ApplicationFilter{Stage: q.Stage, OpportunityID: q.OpportunityID, After: q.After, Limit: q.Limit}
	if !p.IsAdmin() {
		f.ScopePaths = make([]string, 0, len(p.User.Areas))
		for _, ar := range p.User.Areas {
			f.ScopePaths = append(f.ScopePaths, ar.Path)
		}
	}
	return a.store.Applications(ctx, f)
}

// MoveStage moves an application to its next stage, or rejects it, with a
// note; admins and coordinators of the opportunity's area (not found for
// anyone else). A skipped or repeated stage is EStageRefused naming the
// stage it may move to. Reaching active makes the applicant a member in the
// same transaction — the opportunity's kind and area as home area, the
// lived-experience codes as skills — or, when a member has the email
// already, adds the kind to that member; then the member is invited to set
// a password unless they have one.
func (a *App) MoveStage(ctx context.Context, p *domain.Principal, id string, to domain.Stage, note string) (StageMoved, error) {
	note = strings.TrimSpace(note)
	var out StageMoved
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		app, opp, err := a.reachApplication(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if app.ErasedAt != nil {
			return domain.Errorf(domain.EConflict, "the application was erased")
		}
		if err := domain.CheckStageMove(app.Stage, to, domain.ByStaff); err != nil {
			return err
		}
		if err := a.recordMove(ctx, tx, p, &app, to, note, ""); err != nil {
			return err
		}
		if to == domain.StageActive {
			if out.MemberID, out.MemberCreated, err = a.enlist(ctx, tx, p, app, opp); err != nil {
				return err
			}
			app.MemberID = out.MemberID
		}
		out.Application = app
		return nil
	})
	if err != nil || to != domain.StageActive {
		return out, err
	}
	_, err = a.Invite(ctx, p, out.MemberID)
	switch domain.ErrorCode(err) {
	case "":
		out.Invited = true
	case domain.EConflict, domain.EForbidden:
		// An existing member who has a password already needs no invitation;
		// one whose home area the mover does not coordinate is invited by
		// whoever does.
	default:
		a.Log.ErrorContext(ctx, "invitation after an application went active not sent", "application_id", id, "member_id", out.MemberID, "err", err)
	}
	return out, nil
}

// recordMove moves app to `to` inside tx, adds the step to its history and
// writes the audit entry (the note by reference: it may name people).
func (a *App) recordMove(ctx context.Context, tx *db.Store, p *domain.Principal, app *domain.Application, to domain.Stage, note, actorLabel string) error {
	now := a.Now()
	if err := tx.MoveApplicationStage(ctx, app.ID, app.Stage, to, now); err != nil {
		return err
	}
	userID, label := actorOf(p)
	if p == nil {
		label = actorLabel
	}
	if err := tx.AddStageMove(ctx, domain.StageMove{ID: NewID(), ApplicationID: app.ID, From: app.Stage, To: to,
		ByUserID: userID, ByLabel: label, Note: note, At: now}); err != nil {
		return err
	}
	from := app.Stage
	app.Stage, app.StageAt, app.UpdatedAt = to, now, now
	return a.audit(ctx, tx, p, auditEvent{action: "application.stage", entity: "application", entityID: app.ID, actorLabel: actorLabel,
		before: map[string]any{"application_id": app.ID, "stage": from},
		after:  map[string]any{"application_id": app.ID, "stage": to, "note_given": note != ""}})
}

// enlist makes the applicant of an application reaching active a member,
// or adds the opportunity's kind and the lived-experience skills to the
// member who has their email; it returns the member's ID and whether it is
// new.
func (a *App) enlist(ctx context.Context, tx *db.Store, p *domain.Principal, app domain.Application, opp domain.Opportunity) (string, bool, error) {
	now := a.Now()
	m, err := tx.MemberByEmail(ctx, app.Email)
	created := domain.ErrorCode(err) == domain.ENotFound
	switch {
	case created:
		defaults := domain.DefaultsFor([]domain.Kind{opp.Kind})
		m = domain.Member{ID: NewID(), Name: app.Name, Email: app.Email, Phone: app.Phone, Kinds: []domain.Kind{opp.Kind},
			HomeAreaID: opp.AreaID, HomeAreaCode: opp.AreaCode, TravelKm: domain.DefaultTravelKm,
			MaxHoursPerWeek: defaults.MaxHoursPerWeek, MinRestHours: defaults.MinRestHours, Status: domain.MemberActive,
			CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateMember(ctx, m); err != nil {
			return "", false, err
		}
		_, after := memberChange(nil, m)
		after["application_id"] = app.ID
		if err := a.audit(ctx, tx, p, auditEvent{action: "member.create", entity: "member", entityID: m.ID, memberID: m.ID, after: after}); err != nil {
			return "", false, err
		}
	case err != nil:
		return "", false, err
	case !m.HasKind(opp.Kind):
		if err := tx.LockMember(ctx, m.ID); err != nil {
			return "", false, err
		}
		old := m
		m.Kinds = append(append([]domain.Kind{}, m.Kinds...), opp.Kind)
		m.UpdatedAt = now
		if err := tx.UpdateMember(ctx, m); err != nil {
			return "", false, err
		}
		before, after := memberChange(&old, m)
		after["application_id"] = app.ID
		if err := a.audit(ctx, tx, p, auditEvent{action: "member.update", entity: "member", entityID: m.ID, memberID: m.ID,
			before: before, after: after}); err != nil {
			return "", false, err
		}
	}
	held, err := tx.MemberSkills(ctx, m.ID)
	if err != nil {
		return "", false, err
	}
	for _, code := range app.LivedExperience {
		if heldSkill(held, code) {
			continue
		}
		skill, err := tx.SkillByCode(ctx, code)
		if err != nil {
			return "", false, err
		}
		ms := domain.MemberSkill{MemberID: m.ID, SkillID: skill.ID, Code: skill.Code, Name: skill.Name,
			ObtainedOn: domain.DateOf(now.In(a.Config.TimeZone))}
		if err := tx.PutMemberSkill(ctx, ms); err != nil {
			return "", false, err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "member.skill.put", entity: "member_skill", entityID: m.ID + "/" + skill.Code,
			memberID: m.ID, after: map[string]any{"member_id": m.ID, "skill": skill.Code, "obtained_on": ms.ObtainedOn, "expires_on": nil,
				"application_id": app.ID}}); err != nil {
			return "", false, err
		}
	}
	return m.ID, created, tx.SetApplicationMember(ctx, app.ID, m.ID)
}

func heldSkill(held []domain.MemberSkill, code string) bool {
	for _, h := range held {
		if h.Code == code {
			return true
		}
	}
	return false
}

// Withdraw spends an application's withdraw link and moves the application
// to withdrawn. An unknown, used or expired link is EGone (and counted
// against the caller's address, which too many bad links rate-limit); an
// application that has ended already is EStageRefused.
func (a *App) Withdraw(ctx context.Context, secret string) (domain.Application, error) {
	now := a.Now()
	if err := a.linkGuard(ctx, now); err != nil {
		return domain.Application{}, err
	}
	var out domain.Application
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		app, err := tx.ApplicationByWithdrawHash(ctx, hashToken(strings.TrimSpace(secret)))
		if domain.ErrorCode(err) == domain.ENotFound || err == nil && (app.WithdrawUsedAt != nil || !now.Before(app.WithdrawExpiresAt)) {
			return linkGone()
		}
		if err != nil {
			return err
		}
		if err := domain.CheckStageMove(app.Stage, domain.StageWithdrawn, domain.ByApplicant); err != nil {
			return err
		}
		if err := tx.SpendWithdrawLink(ctx, app.ID, now); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return linkGone()
			}
			return err
		}
		if err := a.recordMove(ctx, tx, nil, &app, domain.StageWithdrawn, "", "applicant"); err != nil {
			return err
		}
		out = app
		return nil
	})
	if domain.ErrorCode(err) == domain.EGone {
		if rerr := a.store.RecordAttempt(ctx, db.AttemptLink, "", RequestOf(ctx).Address, now); rerr != nil {
			return domain.Application{}, rerr
		}
	}
	return out, err
}

// ApplicationExport is everything held about an applicant: the application
// (without the withdraw link's hash), its history, and the audit entries
// about it.
type ApplicationExport struct {
	ApplicationID string
	ExportedAt    time.Time
	Application   map[string]any
	Tables        map[string][]map[string]any
}

// reachApplicationPrivacy is reachApplication for export and erasure, which
// only an admin may do: forbidden for a coordinator of the area.
func (a *App) reachApplicationPrivacy(ctx context.Context, store *db.Store, p *domain.Principal, id, what string) (domain.Application, error) {
	app, _, err := a.reachApplication(ctx, store, p, id)
	if err != nil {
		return domain.Application{}, err
	}
	if !p.IsAdmin() {
		return domain.Application{}, forbidden("only an admin may " + what + " an applicant's data")
	}
	return app, nil
}

// ExportApplication gathers everything held about an applicant (admins;
// forbidden for a coordinator of the area, not found for anyone else), and
// records the export in the audit log in the same transaction.
func (a *App) ExportApplication(ctx context.Context, p *domain.Principal, id string) (ApplicationExport, error) {
	var out ApplicationExport
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		app, err := a.reachApplicationPrivacy(ctx, tx, p, id, "export")
		if err != nil {
			return err
		}
		out = ApplicationExport{ApplicationID: app.ID, ExportedAt: a.Now(), Tables: map[string][]map[string]any{}}
		rows, err := tx.RowsWhere(ctx, "applications", "id", app.ID)
		if err != nil {
			return err
		}
		if len(rows) == 1 {
			out.Application = rows[0]
		}
		if out.Tables["application_stages"], err = tx.RowsWhere(ctx, "application_stages", "application_id", app.ID); err != nil {
			return err
		}
		if out.Tables["audit_log"], err = tx.RowsWhere(ctx, "audit_log", "entity_id", app.ID); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "application.export", entity: "application", entityID: app.ID,
			after: map[string]any{"application_id": app.ID, "tables": []string{"applications", "application_stages", "audit_log"}}})
	})
	return out, err
}

// EraseApplication anonymises an applicant (admins; forbidden for a
// coordinator of the area, not found for anyone else): every personal
// column of the application and the notes of its history, free text that
// quoted the name or email, and the addresses of the applicant's requests
// in the audit log. The stages and dates are kept, for counts.
func (a *App) EraseApplication(ctx context.Context, p *domain.Principal, id string) (Erasure, error) {
	var out Erasure
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		app, err := a.reachApplicationPrivacy(ctx, tx, p, id, "erase")
		if err != nil {
			return err
		}
		if app.ErasedAt != nil {
			return domain.Errorf(domain.EConflict, "the application was erased already")
		}
		out, err = a.eraseApplication(ctx, tx, p, app, "application.erase", nil)
		return err
	})
	return out, err
}

// eraseApplication anonymises app inside tx; EraseApplication, member
// erasure and retention share it.
func (a *App) eraseApplication(ctx context.Context, tx *db.Store, p *domain.Principal, app domain.Application, action string, note map[string]any) (Erasure, error) {
	now := a.Now()
	placeholder := "Erased applicant " + shortID(app.ID)
	if err := tx.AnonymiseApplication(ctx, app.ID, placeholder, "erased-"+app.ID+"@erased.invalid", now); err != nil {
		return Erasure{}, err
	}
	for _, v := range []string{app.Name, app.Email} {
		if err := tx.ScrubText(ctx, v, placeholder); err != nil {
			return Erasure{}, err
		}
	}
	if err := tx.BlankApplicationAuditAddresses(ctx, app.ID); err != nil {
		return Erasure{}, err
	}
	out := Erasure{MemberID: app.MemberID, Removed: map[string]int64{},
		Anonymised: []string{"name", "email", "phone", "postcode", "motivation", "lived_experience",
			"the notes of the application's history", "the network addresses of the applicant's requests in the audit log",
			"free text that quoted the name or email"},
		Kept: []Kept{
			{What: "the application's opportunity, stages and dates, pseudonymised",
				Why: "so that counts of applications by opportunity and stage in reports stay right"},
			{What: "the audit log's entries about the application",
				Why: "the record that each event happened is kept for accountability; it holds no personal values (they are recorded by reference)"},
		}}
	after := map[string]any{"application_id": app.ID, "fields_changed": out.Anonymised[:6]}
	for k, v := range note {
		after[k] = v
	}
	return out, a.audit(ctx, tx, p, auditEvent{action: action, entity: "application", entityID: app.ID, memberID: app.MemberID, after: after})
}

// eraseApplicationsOf anonymises, inside tx, every application a member
// made or that carries their email, when the member is erased.
func (a *App) eraseApplicationsOf(ctx context.Context, tx *db.Store, p *domain.Principal, m domain.Member) error {
	ids, err := tx.ApplicationsOf(ctx, m.ID, m.Email)
	if err != nil {
		return err
	}
	for _, id := range ids {
		app, err := tx.ApplicationByID(ctx, id)
		if err != nil {
			return err
		}
		if _, err := a.eraseApplication(ctx, tx, p, app, "application.erase", map[string]any{"reason": "the member was erased"}); err != nil {
			return err
		}
	}
	return nil
}

// retainApplications anonymises the applications that ended (active,
// rejected or withdrawn) before since, each in a transaction of its own,
// recorded as retention.erase_application by the system; it returns their
// IDs. An application erased meanwhile by another instance is skipped.
func (a *App) retainApplications(ctx context.Context, since time.Time) ([]string, error) {
	ids, err := a.store.EndedApplications(ctx, since)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		erased := false
		err := a.store.InTx(ctx, func(tx *db.Store) error {
			app, err := tx.ApplicationByID(ctx, id)
			if err != nil || app.ErasedAt != nil || !app.Stage.Ended() || !app.StageAt.Before(since) {
				return err
			}
			_, err = a.eraseApplication(ctx, tx, nil, app, "retention.erase_application",
				map[string]any{"reason": "retention", "retention_months": a.Config.RetentionMonths, "ended_before": since})
			erased = err == nil
			return err
		})
		if err != nil {
			return done, err
		}
		if erased {
			done = append(done, id)
		}
	}
	return done, nil
}
