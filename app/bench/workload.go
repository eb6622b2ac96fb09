package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// lane is one client's share of the workload: its own members and its
// own daily series of shifts, so clients never race for a place. The lane
// books member 0…n-1 on day 1, then on day 2, and so on: every request
// passes every rule (one 2-hour shift a day stays under the weekly cap and
// leaves 22 hours of rest).
type lane struct {
	members  []string
	shifts   []string
	position string
	next     int
}

func (l *lane) take() (shiftID, memberID string, ok bool) {
	if l.next >= len(l.shifts)*len(l.members) {
		return "", "", false
	}
	s, m := l.next/len(l.members), l.next%len(l.members)
	l.next++
	return l.shifts[s], l.members[m], true
}

// workload is the seeded data and the coordinator booking for members.
type workload struct {
	token    string
	lanes    []*lane
	areaCode string // where the shifts are, for the read mix's search
}

// seedWorkload writes the areas, skill and members straight to store, the
// database the bench opened for itself, as fixtures; the coordinator and the
// demands go through the use cases the API uses.
func seedWorkload(ctx context.Context, a *app.App, store *db.Store, lanes, perLane, days int, stage func(string, ...any)) (*workload, error) {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	tag := strings.ToUpper(hex.EncodeToString(b))
	now := time.Now()
	lat, lon := 54.77, -1.57
	force, err := store.CreateArea(ctx, domain.Area{ID: app.NewID(), Code: "BENCH-" + tag, Name: "Bench force " + tag,
		Kind: domain.AreaForce, Lat: &lat, Lon: &lon, CreatedAt: now})
	if err != nil {
		return nil, err
	}
	hood, err := store.CreateArea(ctx, domain.Area{ID: app.NewID(), Code: "BENCH-" + tag + "-N1", Name: "Bench neighbourhood " + tag,
		Kind: domain.AreaNeighbourhood, ParentID: force.ID, Lat: &lat, Lon: &lon, CreatedAt: now})
	if err != nil {
		return nil, err
	}
	skill, err := store.CreateSkill(ctx, domain.Skill{ID: app.NewID(), Code: "bench_patrol_" + strings.ToLower(tag), Name: "Bench patrol", CreatedAt: now})
	if err != nil {
		return nil, err
	}
	email, password := "bench-coordinator-"+strings.ToLower(tag)+"@example.org", app.NewID()
	_, err = a.CreateUser(ctx, app.NewUser{Email: email, Name: "Bench coordinator", Password: password,
		Roles: []domain.Role{domain.RoleCoordinator}, Areas: []string{force.Code}})
	if err != nil {
		return nil, err
	}
	tok, err := a.Login(ctx, email, password, "127.0.0.1")
	if err != nil {
		return nil, err
	}
	coordinator, err := a.Authenticate(ctx, tok.Token)
	if err != nil {
		return nil, err
	}

	w := &workload{token: tok.Token, lanes: make([]*lane, lanes), areaCode: hood.Code}
	for i := range w.lanes {
		w.lanes[i] = &lane{members: make([]string, perLane)}
	}
	stage("creating %d members…", lanes*perLane)
	today := domain.DateOf(now.In(a.Config.TimeZone))
	err = parallelDo(ctx, lanes*perLane, 8, func(i int) error {
		m := domain.Member{ID: app.NewID(), Name: fmt.Sprintf("Bench member %d", i), Email: fmt.Sprintf("bench-%s-%d@example.org", strings.ToLower(tag), i),
			Kinds: []domain.Kind{domain.KindVolunteer}, HomeAreaID: hood.ID, TravelKm: 10, MaxHoursPerWeek: 40, MinRestHours: 11,
			Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
		if err := store.CreateMember(ctx, m); err != nil {
			return err
		}
		c := domain.Clearance{ID: app.NewID(), MemberID: m.ID, Type: domain.NPPV2, GrantedOn: today.AddDays(-365),
			ExpiresOn: today.AddDays(5 * 365), Status: domain.ClearanceActive, CreatedAt: now, UpdatedAt: now}
		if err := store.CreateClearance(ctx, c); err != nil {
			return err
		}
		if err := store.PutMemberSkill(ctx, domain.MemberSkill{MemberID: m.ID, SkillID: skill.ID, ObtainedOn: today.AddDays(-30)}); err != nil {
			return err
		}
		w.lanes[i/perLane].members[i%perLane] = m.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	stage("posting %d daily demands of %d shifts…", lanes, days)
	first := today.AddDays(1).String()
	err = parallelDo(ctx, lanes, 4, func(i int) error {
		d, err := a.PostDemand(ctx, coordinator, app.DemandInput{Title: fmt.Sprintf("Bench patrol %d", i), ProblemType: "asb",
			Area: hood.Code, Priority: 3, BookingMode: string(domain.ModeOpen), TimeZone: a.Config.TimeZone.String(),
			StartLocal: first + "T10:00", EndLocal: first + "T12:00", RRule: fmt.Sprintf("FREQ=DAILY;COUNT=%d", days),
			Positions: []app.PositionInput{{Name: "Patrol", Kinds: []string{string(domain.KindVolunteer)}, Skills: []string{skill.Code},
				MinVetting: string(domain.NPPV1), Headcount: perLane}}})
		if err != nil {
			return err
		}
		shifts := slices.Clone(d.Shifts)
		slices.SortFunc(shifts, func(x, y domain.Shift) int { return x.Start.Compare(y.Start) })
		l := w.lanes[i]
		l.position = d.Positions[0].ID
		for _, sh := range shifts {
			l.shifts = append(l.shifts, sh.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// parallelDo calls fn(0…n-1) on up to workers goroutines and returns the first error.
func parallelDo(ctx context.Context, n, workers int, fn func(i int) error) error {
	idx := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				if err := fn(i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var err error
feed:
	for i := range n {
		select {
		case idx <- i:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(idx)
	wg.Wait()
	close(errs)
	if err == nil {
		err = <-errs
	}
	return err
}
