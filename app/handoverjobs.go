package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/riverqueue/river"

	"github.com/copbank/copbank/domain"
)

// Handover and swap events, told through the job queue: colleagues who
// could take an offered place, the coordinators of a place that changed
// hands, and the colleague asked to swap.
const (
	eventHandoverOffered = "handover.offered"
	eventHandoverTaken   = "handover.taken"
	eventSwapRequested   = "swap.requested"
	eventSwapAccepted    = "swap.accepted"
)

// onShiftNoticeArgs names one handover or swap event; the worker works out
// whom to tell when it runs, each recipient once per event.
type onShiftNoticeArgs struct {
	Event      string `json:"event"`
	HandoverID string `json:"handover_id,omitempty"`
	SwapID     string `json:"swap_id,omitempty"`
}

func (onShiftNoticeArgs) Kind() string { return "onshift_notice" }

type onShiftNoticeWorker struct {
	river.WorkerDefaults[onShiftNoticeArgs]
	a *App
}

func (w *onShiftNoticeWorker) Work(ctx context.Context, job *river.Job[onShiftNoticeArgs]) error {
	a := w.a
	switch job.Args.Event {
	case eventHandoverOffered, eventHandoverTaken:
		h, err := a.store.HandoverByID(ctx, job.Args.HandoverID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil // erased since
		}
		if err != nil {
			return err
		}
		if job.Args.Event == eventHandoverOffered {
			return a.tellColleagues(ctx, job, h)
		}
		return a.tellCoordinators(ctx, job, h.ShiftID, eventHandoverTaken+"/"+h.ID, "Shift handed over",
			"A member handed their place on %s to a colleague, who passed every booking rule; the place stayed filled.")
	case eventSwapRequested, eventSwapAccepted:
		sw, err := a.store.SwapByID(ctx, job.Args.SwapID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil
		}
		if err != nil {
			return err
		}
		b, err := a.store.BookingByID(ctx, sw.WithBookingID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil
		}
		if err != nil {
			return err
		}
		if job.Args.Event == eventSwapAccepted {
			return a.tellCoordinators(ctx, job, b.ShiftID, eventSwapAccepted+"/"+sw.ID, "Shifts swapped",
				"Two members swapped places, one of them on %s, after every booking rule passed for both.")
		}
		m, err := a.store.MemberByID(ctx, sw.PartnerID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil
		}
		if err != nil {
			return err
		}
		sh, d, err := a.store.ShiftByID(ctx, b.ShiftID)
		if err != nil {
			return err
		}
		what := a.shiftWords(sh, d)
		return a.tellOne(ctx, job, m, eventSwapRequested+"/"+sw.ID, sh, d, Message{Subject: "A colleague asks to swap: " + what,
			Text: fmt.Sprintf("A colleague asks to swap their shift for yours on %s. Accept it from the app if you agree.", what),
			Link: a.Config.BaseURL + "/my-shifts"})
	}
	return nil
}

// tellColleagues tells every active member who could take the offered
// place now, by their channels for booking notices.
func (a *App) tellColleagues(ctx context.Context, job *river.Job[onShiftNoticeArgs], h domain.Handover) error {
	now := a.Now()
	if !h.Open(now) {
		return nil
	}
	sh, d, err := a.store.ShiftByID(ctx, h.ShiftID)
	if err != nil {
		return err
	}
	what := a.shiftWords(sh, d)
	msg := Message{Subject: "A colleague offers a shift: " + what,
		Text: fmt.Sprintf("A colleague offers their place on %s. The first to take it gets it.", what),
		Link: a.Config.BaseURL + "/handovers"}
	after := ""
	for {
		members, err := a.store.Members(ctx, domain.MemberFilter{After: after, Limit: 500})
		if err != nil {
			return err
		}
		for _, m := range members {
			after = m.ID
			if m.ID == h.GiverID || m.Status != domain.MemberActive {
				continue
			}
			if _, ok, err := a.handoverFor(ctx, h, m.ID, now); err != nil {
				return err
			} else if !ok {
				continue
			}
			if err := a.tellOne(ctx, job, m, eventHandoverOffered+"/"+h.ID, sh, d, msg); err != nil {
				return err
			}
		}
		if len(members) < 500 {
			return nil
		}
	}
}

// tellOne sends msg to one member by their booking-notice channels; a text
// quiet hours hold back waits in a job of its own.
func (a *App) tellOne(ctx context.Context, job *river.Job[onShiftNoticeArgs], m domain.Member, event string, sh domain.Shift, d domain.Demand, msg Message) error {
	zone := a.zoneOf(d)
	_, held, err := a.tellMember(ctx, a.jobLog(job.JobRow), m, memberNotice{kind: NoticeBooking, event: event, msg: msg,
		when: shiftWhen(sh, zone), shiftStart: sh.Start, zone: zone})
	if err != nil {
		return err
	}
	if held != nil {
		return a.holdText(ctx, held)
	}
	return nil
}

// tellCoordinators emails every coordinator whose areas cover the shift.
func (a *App) tellCoordinators(ctx context.Context, job *river.Job[onShiftNoticeArgs], shiftID, event, subject, format string) error {
	sh, d, err := a.store.ShiftByID(ctx, shiftID)
	if err != nil {
		return err
	}
	area, err := a.store.AreaByID(ctx, d.AreaID)
	if err != nil {
		return err
	}
	coordinators, err := a.store.Coordinators(ctx)
	if err != nil {
		return err
	}
	zone := a.zoneOf(d)
	what := a.shiftWords(sh, d)
	for _, u := range coordinators {
		if !slices.ContainsFunc(u.Areas, func(scope domain.Area) bool { return area.Within(scope.Path) }) {
			continue
		}
		msg, err := renderEmail(Message{To: u.Email, Subject: subject + ": " + what, Text: fmt.Sprintf(format, what),
			Link: a.Config.BaseURL + "/coord/shifts/" + sh.ID}, emailData{Name: u.Name, When: shiftWhen(sh, zone)})
		if err != nil {
			return err
		}
		if _, err := a.deliver(ctx, a.jobLog(job.JobRow), domain.MessageKey{Event: event, Recipient: u.ID, Channel: channelEmail}, msg); err != nil {
			return err
		}
	}
	return nil
}

// givenUpWords says where a place given up to a colleague went, for the
// giver's cancellation notice; "" for any other cancellation.
func givenUpWords(reason string) string {
	switch reason {
	case domain.CancelReasonHandover:
		return "went to a colleague who took your offer"
	case domain.CancelReasonSwap:
		return "was swapped with a colleague's, as you both agreed"
	}
	return ""
}
