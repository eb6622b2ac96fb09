package app

import (
	"context"
	"fmt"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Expiry warnings: 60 and again 14 days before a member's
// clearance or skill lapses, the member and every coordinator whose scope
// covers the member's home area are told. A River periodic job sweeps daily
// (the leader alone inserts it); each warning's key (lead, holding, expiry
// day; recipient; channel) makes it go out once however often it runs, and
// a renewed holding (a new expiry day) is warned of afresh.

// expiryInterval is how often the expiry sweep runs.
const expiryInterval = 24 * time.Hour

// expiryLeads are how many days ahead of a lapse its warnings go, longest first.
var expiryLeads = []int{60, 14}

const eventExpiryWarning = "holding.expiry"

type expirySweepArgs struct{}

func (expirySweepArgs) Kind() string { return "expiry_sweep" }

// SendExpiryWarnings sends every expiry warning due today by the app's
// clock (UTC days) and not yet sent, and returns how many messages it
// handed on. Of a holding's warnings only the latest one due goes.
func (a *App) SendExpiryWarnings(ctx context.Context) (int, error) {
	today := domain.DateOf(a.Now().UTC())
	holdings, err := a.store.ExpiringHoldings(ctx, today.AddDays(1), today.AddDays(expiryLeads[0]))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, h := range holdings {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		lead := 0
		for _, l := range expiryLeads {
			if !today.AddDays(l).Before(h.ExpiresOn) {
				lead = l
			}
		}
		if lead == 0 {
			continue
		}
		n, err := a.warnExpiry(ctx, h, lead)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

func (a *App) warnExpiry(ctx context.Context, h db.ExpiringHolding, lead int) (int, error) {
	m, err := a.store.MemberByID(ctx, h.MemberID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	what := h.Name
	if h.Kind == "clearance" {
		what = string(h.Name) + " clearance"
	}
	lapses := h.ExpiresOn.String()
	event := fmt.Sprintf("%s.%dd/%s/%s/%s", eventExpiryWarning, lead, h.Kind, h.ID, lapses)
	if h.Kind == "skill" {
		event = fmt.Sprintf("%s.%dd/skill/%s/%s/%s", eventExpiryWarning, lead, h.MemberID, h.ID, lapses)
	}
	log := a.Log.With("job_kind", "expiry_sweep")
	renew, link := "", a.Config.BaseURL+"/my-shifts"
	if h.Kind == "skill" {
		if text, training, err := a.renewalNotice(ctx, h.ID); err != nil {
			return 0, err
		} else if text != "" {
			renew, link = text, training
		}
	}
	sent, held, err := a.tellMember(ctx, log, m, memberNotice{kind: NoticeExpiry, event: event, zone: a.Config.TimeZone,
		msg: Message{Subject: fmt.Sprintf("Your %s lapses on %s", what, lapses),
			Text: fmt.Sprintf("Your %s lapses on %s, in %d days or less. Renew it to keep booking shifts that need it.", what, lapses, lead) + renew,
			Link: link}})
	if err != nil {
		return sent, err
	}
	if held != nil {
		if err := a.holdText(ctx, held); err != nil {
			return sent, err
		}
	}
	if m.HomeAreaID == "" {
		return sent, nil
	}
	coords, err := a.store.CoordinatorsCovering(ctx, m.HomeAreaID)
	if err != nil {
		return sent, err
	}
	for _, c := range coords {
		if c.Email == "" {
			continue
		}
		msg := Message{To: c.Email, Subject: fmt.Sprintf("%s's %s lapses on %s", m.Name, what, lapses),
			Text: fmt.Sprintf("%s (%s) holds a %s that lapses on %s, in %d days or less.", m.Name, m.HomeAreaCode, what, lapses, lead),
			Link: a.Config.BaseURL + "/members/" + m.ID}
		ok, err := a.deliver(ctx, log, domain.MessageKey{Event: event, Recipient: "user:" + c.ID, Channel: channelEmail}, msg)
		if ok {
			sent++
		}
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}
