package app

import (
	"context"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Enrolment on a course session: a member enrols themself, or a coordinator
// or admin enrols a member they manage. A place is taken under a lock on the
// session, and the database refuses an enrolled row beyond the capacity, so
// concurrent enrolments can never overfill it: a full session waitlists.

// EnrolmentDetail is an enrolment with the session and course it is for.
type EnrolmentDetail struct {
	domain.Enrolment
	Session domain.CourseSession
	Course  domain.Course
	// QueuePosition is a waitlisted enrolment's 1-based place in the queue.
	QueuePosition int
}

// Enrol enrols a member (the caller when memberID is empty) on a session
// that has not started: enrolled while places are left, waitlisted after.
// A member already enrolled or waiting is a conflict; a member beyond the
// caller's reach, or an unknown session, is not found.
func (a *App) Enrol(ctx context.Context, p *domain.Principal, sessionID, memberID string) (EnrolmentDetail, error) {
	memberID, err := a.enrolmentMember(ctx, p, memberID)
	if err != nil {
		return EnrolmentDetail{}, err
	}
	var out EnrolmentDetail
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		s, err := tx.LockCourseSession(ctx, sessionID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return notFound("course session")
		}
		if err != nil {
			return err
		}
		now := a.Now()
		if s.Status != domain.SessionScheduled {
			return domain.Errorf(domain.EConflict, "this session has been cancelled")
		}
		if !now.Before(s.Start) {
			return domain.Errorf(domain.EConflict, "this session has started: enrol on a later one")
		}
		m, err := tx.MemberByID(ctx, memberID)
		if err != nil {
			return err
		}
		if m.Status != domain.MemberActive {
			return domain.Errorf(domain.EConflict, "the member is %s and cannot enrol", m.Status)
		}
		if _, open, err := tx.OpenEnrolment(ctx, memberID, s.ID); err != nil {
			return err
		} else if open {
			return &domain.Error{Code: domain.EConflict, Message: "the member is already enrolled or waiting for this session",
				Rules: []string{"already_enrolled"}}
		}
		// The ID is made under the lock, so IDs sort in joining order even
		// when two members join in the same instant.
		e := domain.Enrolment{ID: NewID(), SessionID: s.ID, MemberID: memberID, Status: domain.EnrolmentEnrolled,
			CreatedBy: p.User.ID, CreatedAt: now, UpdatedAt: now}
		if s.Taken >= s.Capacity {
			e.Status, e.WaitlistedAt = domain.EnrolmentWaitlisted, &now
			out.QueuePosition = s.Waitlisted + 1
		}
		if err := tx.CreateEnrolment(ctx, e); err != nil {
			return err
		}
		if err := a.auditEnrolment(ctx, tx, p, "enrolment.create", nil, e); err != nil {
			return err
		}
		out.Enrolment, out.Session = e, s
		out.Course, err = tx.CourseByID(ctx, s.CourseID)
		return err
	})
	return out, err
}

// enrolmentMember resolves whom an enrolment is for: the caller, or a member
// a coordinator or admin manages.
func (a *App) enrolmentMember(ctx context.Context, p *domain.Principal, memberID string) (string, error) {
	if memberID == "" || isSelf(p, memberID) {
		if p == nil || p.User.MemberID == "" {
			return "", domain.FieldInvalid("member_id", "your account is not a member of the bank: say which member to enrol")
		}
		return p.User.MemberID, nil
	}
	if !isCoordinating(p) {
		return "", notFound("member")
	}
	_, reach, err := a.reachMember(ctx, a.store, p, memberID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return "", domain.FieldInvalid("member_id", "is not a member you manage")
	}
	if err != nil {
		return "", err
	}
	if reach != reachManage {
		return "", domain.FieldInvalid("member_id", "is not a member you manage")
	}
	return memberID, nil
}

// enrolmentSession is the session an enrolment is on; not found when there
// is no such enrolment.
func (a *App) enrolmentSession(ctx context.Context, id string) (string, error) {
	e, err := a.store.EnrolmentByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return "", notFound("enrolment")
	}
	return e.SessionID, err
}

// enrolmentInScope loads, under the session's lock, an enrolment the caller
// may see: their own, one on a session in an area they coordinate, one of a
// member they manage, or one on a session they train. Anything else is not
// found.
// sessionID is the enrolment's session, read before the transaction: the
// session's lock is always taken before an enrolment's, as Enrol does.
func (a *App) enrolmentInScope(ctx context.Context, tx *db.Store, p *domain.Principal, id, sessionID string) (domain.Enrolment, domain.CourseSession, bool, error) {
	s, err := tx.LockCourseSession(ctx, sessionID)
	if err != nil {
		return domain.Enrolment{}, domain.CourseSession{}, false, err
	}
	e, err := tx.EnrolmentByID(ctx, id)
	if err != nil || e.SessionID != sessionID {
		return domain.Enrolment{}, domain.CourseSession{}, false, notFound("enrolment")
	}
	area, err := tx.AreaByID(ctx, s.AreaID)
	if err != nil {
		return domain.Enrolment{}, domain.CourseSession{}, false, err
	}
	manages := coversArea(p, area)
	if !manages && isCoordinating(p) {
		_, reach, err := a.reachMember(ctx, tx, p, e.MemberID)
		if err != nil && domain.ErrorCode(err) != domain.ENotFound {
			return domain.Enrolment{}, domain.CourseSession{}, false, err
		}
		manages = reach == reachManage
	}
	trains := p != nil && p.User.MemberID != "" && p.User.MemberID == s.TrainerMemberID
	if !manages && !trains && !isSelf(p, e.MemberID) {
		return domain.Enrolment{}, domain.CourseSession{}, false, notFound("enrolment")
	}
	return e, s, manages || trains, nil
}

// CancelEnrolment cancels an enrolled or waitlisted enrolment before the
// session starts (the member's own, or one the caller manages). A freed
// place goes to the first waitlisted member, in joining order.
func (a *App) CancelEnrolment(ctx context.Context, p *domain.Principal, id string) (EnrolmentDetail, error) {
	sessionID, err := a.enrolmentSession(ctx, id)
	if err != nil {
		return EnrolmentDetail{}, err
	}
	var out EnrolmentDetail
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		e, s, _, err := a.enrolmentInScope(ctx, tx, p, id, sessionID)
		if err != nil {
			return err
		}
		now := a.Now()
		if !e.Status.Open() {
			return domain.Errorf(domain.EConflict, "this enrolment is %s and cannot be cancelled", e.Status)
		}
		if !now.Before(s.Start) {
			return domain.Errorf(domain.EConflict, "the session has started: it can only be completed now")
		}
		before := e
		wasEnrolled := e.Status == domain.EnrolmentEnrolled
		e.Status, e.CancelledAt, e.UpdatedAt = domain.EnrolmentCancelled, &now, now
		if err := tx.UpdateEnrolment(ctx, e); err != nil {
			return err
		}
		if err := a.auditEnrolment(ctx, tx, p, "enrolment.cancel", &before, e); err != nil {
			return err
		}
		if wasEnrolled {
			if err := a.promoteEnrolments(ctx, tx, p, s.ID, now); err != nil {
				return err
			}
		}
		out.Enrolment = e
		if out.Session, err = tx.CourseSessionByID(ctx, s.ID); err != nil {
			return err
		}
		out.Course, err = tx.CourseByID(ctx, s.CourseID)
		return err
	})
	return out, err
}

// promoteEnrolments fills a session's free places from its waitlist, in
// joining order, passing over members who are no longer active. The caller
// holds the session's lock.
func (a *App) promoteEnrolments(ctx context.Context, tx *db.Store, p *domain.Principal, sessionID string, now time.Time) error {
	s, err := tx.CourseSessionByID(ctx, sessionID)
	if err != nil {
		return err
	}
	free := s.Capacity - s.Taken
	if free <= 0 || s.Status != domain.SessionScheduled || !now.Before(s.Start) {
		return nil
	}
	queue, err := tx.SessionWaitlist(ctx, sessionID)
	if err != nil {
		return err
	}
	for _, e := range queue {
		if free == 0 {
			break
		}
		m, err := tx.MemberByID(ctx, e.MemberID)
		if err != nil {
			return err
		}
		if m.Status != domain.MemberActive {
			continue
		}
		before := e
		e.Status, e.UpdatedAt = domain.EnrolmentEnrolled, now
		if err := tx.UpdateEnrolment(ctx, e); err != nil {
			return err
		}
		if err := a.auditEnrolment(ctx, tx, p, "enrolment.promote", &before, e); err != nil {
			return err
		}
		free--
	}
	return nil
}

// CompleteEnrolment records that an enrolled member completed the session:
// by the session's trainer, or a coordinator or admin over it, once the
// session has started (a conflict before). It grants the course's skill from
// the session's date for the course's validity, or renews it, in the same
// transaction, so eligibility for shifts follows at once.
func (a *App) CompleteEnrolment(ctx context.Context, p *domain.Principal, id string) (EnrolmentDetail, error) {
	sessionID, err := a.enrolmentSession(ctx, id)
	if err != nil {
		return EnrolmentDetail{}, err
	}
	var out EnrolmentDetail
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		e, s, mayComplete, err := a.enrolmentInScope(ctx, tx, p, id, sessionID)
		if err != nil {
			return err
		}
		if !mayComplete {
			return forbidden("completion is recorded by the session's trainer or a coordinator")
		}
		now := a.Now()
		if e.Status != domain.EnrolmentEnrolled {
			return domain.Errorf(domain.EConflict, "this enrolment is %s: only an enrolled member can complete", e.Status)
		}
		if now.Before(s.Start) {
			return domain.Errorf(domain.EConflict, "the session has not started yet: record completion once it has")
		}
		course, err := tx.CourseByID(ctx, s.CourseID)
		if err != nil {
			return err
		}
		before := e
		e.Status, e.CompletedAt, e.CompletedBy, e.UpdatedAt = domain.EnrolmentCompleted, &now, p.User.ID, now
		if err := tx.UpdateEnrolment(ctx, e); err != nil {
			return err
		}
		if err := a.auditEnrolment(ctx, tx, p, "enrolment.complete", &before, e); err != nil {
			return err
		}
		held, err := tx.MemberSkills(ctx, e.MemberID)
		if err != nil {
			return err
		}
		var existing *domain.MemberSkill
		for i := range held {
			if held[i].SkillID == course.SkillID {
				existing = &held[i]
			}
		}
		ms := domain.Renewed(existing, domain.CompletionHolding(course, s, a.sessionZone(s)))
		ms.MemberID = e.MemberID
		if err := tx.PutMemberSkill(ctx, ms); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, auditEvent{action: "member.skill.put", entity: "member_skill", entityID: e.MemberID + "/" + course.SkillCode,
			memberID: e.MemberID, after: map[string]any{"member_id": e.MemberID, "skill": course.SkillCode, "obtained_on": ms.ObtainedOn,
				"expires_on": ms.ExpiresOn, "enrolment_id": e.ID}}); err != nil {
			return err
		}
		out.Enrolment, out.Session, out.Course = e, s, course
		return nil
	})
	return out, err
}

// MemberEnrolments lists a member's enrolments with their sessions and
// courses, newest first (the member, or whoever manages them).
func (a *App) MemberEnrolments(ctx context.Context, p *domain.Principal, memberID string) ([]EnrolmentDetail, error) {
	if _, _, err := a.reachMember(ctx, a.store, p, memberID); err != nil {
		return nil, err
	}
	es, err := a.store.MemberEnrolments(ctx, memberID)
	if err != nil {
		return nil, err
	}
	out := make([]EnrolmentDetail, 0, len(es))
	courses := map[string]domain.Course{}
	for _, e := range es {
		s, err := a.store.CourseSessionByID(ctx, e.SessionID)
		if err != nil {
			return nil, err
		}
		c, ok := courses[s.CourseID]
		if !ok {
			if c, err = a.store.CourseByID(ctx, s.CourseID); err != nil {
				return nil, err
			}
			courses[s.CourseID] = c
		}
		out = append(out, EnrolmentDetail{Enrolment: e, Session: s, Course: c})
	}
	return out, nil
}

// auditEnrolment records an enrolment's change; it names the member by ID only.
func (a *App) auditEnrolment(ctx context.Context, tx *db.Store, p *domain.Principal, action string, before *domain.Enrolment, after domain.Enrolment) error {
	state := func(e domain.Enrolment) map[string]any {
		return map[string]any{"session_id": e.SessionID, "member_id": e.MemberID, "status": e.Status}
	}
	ev := auditEvent{action: action, entity: "enrolment", entityID: after.ID, memberID: after.MemberID, after: state(after)}
	if before != nil {
		ev.before = state(*before)
	}
	return a.audit(ctx, tx, p, ev)
}

// cancelFutureEnrolments cancels a member's enrolled and waitlisted places on
// sessions yet to start, each freed place going to the session's waitlist,
// and returns how many it cancelled (erasure uses it).
func (a *App) cancelFutureEnrolments(ctx context.Context, tx *db.Store, p *domain.Principal, memberID string, now time.Time) (int, error) {
	es, err := tx.MemberEnrolments(ctx, memberID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range es {
		if !e.Status.Open() {
			continue
		}
		s, err := tx.LockCourseSession(ctx, e.SessionID)
		if err != nil {
			return n, err
		}
		if !now.Before(s.Start) {
			continue
		}
		if e, err = tx.EnrolmentByID(ctx, e.ID); err != nil {
			return n, err
		}
		if !e.Status.Open() {
			continue
		}
		before := e
		wasEnrolled := e.Status == domain.EnrolmentEnrolled
		e.Status, e.CancelledAt, e.UpdatedAt = domain.EnrolmentCancelled, &now, now
		if err := tx.UpdateEnrolment(ctx, e); err != nil {
			return n, err
		}
		if err := a.auditEnrolment(ctx, tx, p, "enrolment.cancel", &before, e); err != nil {
			return n, err
		}
		if wasEnrolled {
			if err := a.promoteEnrolments(ctx, tx, p, s.ID, now); err != nil {
				return n, err
			}
		}
		n++
	}
	return n, nil
}
