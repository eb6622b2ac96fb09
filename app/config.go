package app

import (
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

// Config is everything copbank reads from its environment.
type Config struct {
	DatabaseURL   string         // DATABASE_URL: empty = embedded SQLite ./copbank.db
	Addr          string         // ADDR
	TimeZone      *time.Location // COPBANK_TZ: the force's zone for wall times and dates
	BaseURL       string         // COPBANK_BASE_URL: how people reach us, for links
	LogLevel      slog.Level     // COPBANK_LOG_LEVEL: debug, info, warn, error
	AdminEmail    string         // COPBANK_ADMIN_EMAIL: first admin on an empty database
	AdminPassword string         // COPBANK_ADMIN_PASSWORD
	TokenTTL      time.Duration  // COPBANK_TOKEN_TTL: lifetime of an API token
	BodyLimit     int            // COPBANK_BODY_LIMIT: request body bytes
	// LateCancelHours: a cancellation closer than this to the start is late.
	LateCancelHours int // COPBANK_LATE_CANCEL_HOURS
	// RetentionMonths: members inactive this long are anonymised; 0 = never.
	RetentionMonths int // COPBANK_RETENTION_MONTHS
	// OfferHours: an offered place not answered this long expires.
	OfferHours int // COPBANK_OFFER_HOURS
	// UnsupervisedHours is the grace after a supervisor's place is
	// cancelled: the supervised places on the shift are released this much
	// later unless another supervisor books, and at once when the shift
	// starts sooner. 0 = always at once.
	UnsupervisedHours int // COPBANK_UNSUPERVISED_HOURS
	// SMTPURL: smtp://user:pass@host:port (STARTTLS when offered) or
	// smtps://… (TLS from the start); empty = email is logged.
	SMTPURL string // COPBANK_SMTP_URL
	// MailFrom is the From of every email.
	MailFrom string // COPBANK_MAIL_FROM
	// NotifyAPIKey is a GOV.UK Notify API key; empty = SMS is logged.
	NotifyAPIKey string // COPBANK_NOTIFY_API_KEY
	// NotifyBaseURL is Notify's API address.
	NotifyBaseURL string // COPBANK_NOTIFY_BASE_URL
	// NotifySMSTemplateID is the Notify text message template, whose body is
	// ((body)): copbank words each message itself.
	NotifySMSTemplateID string // COPBANK_NOTIFY_SMS_TEMPLATE_ID
	// PasswordMemoryKiB is argon2id's memory cost; only tests lower it.
	PasswordMemoryKiB uint32
	// OIDCIssuer is the force's OpenID Connect provider, for staff sign-in;
	// empty = no sign-in with a force account. The client ID and secret
	// are copbank's registration there, whose redirect URI is
	// OIDCRedirectURL.
	OIDCIssuer       string // COPBANK_OIDC_ISSUER
	OIDCClientID     string // COPBANK_OIDC_CLIENT_ID
	OIDCClientSecret string // COPBANK_OIDC_CLIENT_SECRET
	// MFARequired are the roles that must use a second factor when signing
	// in with a password (COPBANK_MFA_REQUIRED, comma-separated). Unset in
	// the environment means admin and coordinator; empty or "none" means no
	// role. DefaultConfig, which tests and tools build on, requires none.
	MFARequired []domain.Role
	// Development (COPBANK_ENV=development; unset means production) lets
	// webhooks use http and local addresses.
	Development bool
	// NoShow is when no-shows put a member's own bookings through approval
	// (COPBANK_NOSHOW_COUNT, COPBANK_NOSHOW_WINDOW_DAYS, COPBANK_NOSHOW_HOLD_DAYS).
	NoShow domain.NoShowPolicy
	// WelfareRemindMinutes and WelfareAlertMinutes: how long after a
	// lone-working shift's planned end, off duty not recorded, the member
	// is reminded and then the shift's coordinators and the member's
	// emergency contact are alerted.
	WelfareRemindMinutes int // COPBANK_WELFARE_REMIND_MINUTES
	WelfareAlertMinutes  int // COPBANK_WELFARE_ALERT_MINUTES
}

// DefaultConfig is what copbank runs with when nothing is set.
func DefaultConfig() Config {
	london, _ := time.LoadLocation("Europe/London")
	return Config{
		Addr:              ":8080",
		TimeZone:          london,
		BaseURL:           "http://localhost:8080",
		LogLevel:          slog.LevelInfo,
		TokenTTL:          24 * time.Hour,
		BodyLimit:         1 << 20,
		LateCancelHours:   24,
		RetentionMonths:   24,
		OfferHours:        12,
		UnsupervisedHours: 24,
		MailFrom:          "copbank <noreply@localhost>",
		NotifyBaseURL:     "https://api.notifications.service.gov.uk",
		PasswordMemoryKiB: argonMemory,
		NoShow:            domain.DefaultNoShowPolicy(),

		WelfareRemindMinutes: 15,
		WelfareAlertMinutes:  30,
	}
}

// LoadConfig reads the environment through getenv over DefaultConfig.
// getenv answers "" for a variable that is unset; where set-but-empty means
// something else (COPBANK_MFA_REQUIRED), the program's getenv, built on
// os.LookupEnv, spells the empty value out as "none".
func LoadConfig(getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	c.DatabaseURL = getenv("DATABASE_URL")
	if v := getenv("ADDR"); v != "" {
		c.Addr = v
	}
	if v := getenv("COPBANK_TZ"); v != "" {
		loc, err := time.LoadLocation(v)
		if err != nil {
			return c, fmt.Errorf("COPBANK_TZ %q is not an IANA time zone: %w", v, err)
		}
		c.TimeZone = loc
	}
	if v := getenv("COPBANK_BASE_URL"); v != "" {
		u, err := url.Parse(v)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return c, fmt.Errorf("COPBANK_BASE_URL %q must be an absolute URL such as https://copbank.example.org", v)
		}
		c.BaseURL = strings.TrimRight(v, "/")
	} else if port := portOf(c.Addr); port != "" {
		c.BaseURL = "http://localhost:" + port
	}
	if v := getenv("COPBANK_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, fmt.Errorf("COPBANK_LOG_LEVEL %q: use debug, info, warn or error", v)
		}
	}
	c.AdminEmail = getenv("COPBANK_ADMIN_EMAIL")
	c.AdminPassword = getenv("COPBANK_ADMIN_PASSWORD")
	if v := getenv("COPBANK_TOKEN_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("COPBANK_TOKEN_TTL %q must be a positive duration such as 12h", v)
		}
		c.TokenTTL = d
	}
	for _, n := range []struct {
		name string
		dst  *int
	}{{"COPBANK_BODY_LIMIT", &c.BodyLimit}, {"COPBANK_LATE_CANCEL_HOURS", &c.LateCancelHours},
		{"COPBANK_UNSUPERVISED_HOURS", &c.UnsupervisedHours},
		{"COPBANK_WELFARE_REMIND_MINUTES", &c.WelfareRemindMinutes}, {"COPBANK_WELFARE_ALERT_MINUTES", &c.WelfareAlertMinutes}} {
		if v := getenv(n.name); v != "" {
			i, err := strconv.Atoi(v)
			if err != nil || i < 0 {
				return c, fmt.Errorf("%s %q must be a non-negative whole number", n.name, v)
			}
			*n.dst = i
		}
	}
	if c.WelfareAlertMinutes <= c.WelfareRemindMinutes {
		return c, fmt.Errorf("COPBANK_WELFARE_ALERT_MINUTES (%d) must be more than COPBANK_WELFARE_REMIND_MINUTES (%d): the member is reminded before anyone is alerted",
			c.WelfareAlertMinutes, c.WelfareRemindMinutes)
	}
	if v := getenv("COPBANK_OFFER_HOURS"); v != "" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 1 {
			return c, fmt.Errorf("COPBANK_OFFER_HOURS %q must be a whole number of hours, at least 1", v)
		}
		c.OfferHours = i
	}
	if v := getenv("COPBANK_RETENTION_MONTHS"); v != "" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 {
			return c, fmt.Errorf("COPBANK_RETENTION_MONTHS %q must be a whole number of months (0 turns the retention job off)", v)
		}
		c.RetentionMonths = i
	}
	// The SMTP URL and the Notify API key are checked by the senders that
	// read them (app/smtpmail, app/govuknotify) when the program is wired.
	c.SMTPURL = getenv("COPBANK_SMTP_URL")
	if v := getenv("COPBANK_MAIL_FROM"); v != "" {
		if _, err := mail.ParseAddress(v); err != nil {
			return c, fmt.Errorf("COPBANK_MAIL_FROM %q is not an email address: %w", v, err)
		}
		c.MailFrom = v
	} else if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
		c.MailFrom = "copbank <noreply@" + u.Hostname() + ">"
	}
	if v := getenv("COPBANK_NOTIFY_API_KEY"); v != "" {
		c.NotifyAPIKey = v
		c.NotifySMSTemplateID = getenv("COPBANK_NOTIFY_SMS_TEMPLATE_ID")
		if c.NotifySMSTemplateID == "" {
			return c, fmt.Errorf("COPBANK_NOTIFY_SMS_TEMPLATE_ID must name a Notify text message template whose body is ((body)) when COPBANK_NOTIFY_API_KEY is set")
		}
	}
	if v := getenv("COPBANK_NOTIFY_BASE_URL"); v != "" {
		u, err := url.Parse(v)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return c, fmt.Errorf("COPBANK_NOTIFY_BASE_URL %q must be an absolute URL", v)
		}
		c.NotifyBaseURL = strings.TrimRight(v, "/")
	}
	if err := c.loadOIDC(getenv); err != nil {
		return c, err
	}
	mfa, err := mfaRequired(getenv("COPBANK_MFA_REQUIRED"))
	if err != nil {
		return c, err
	}
	c.MFARequired = mfa
	c.Development = getenv("COPBANK_ENV") == "development"
	if err := c.loadNoShow(getenv); err != nil {
		return c, err
	}
	return c, nil
}

// loadOIDC reads the force's identity provider: all three values or none.
func (c *Config) loadOIDC(getenv func(string) string) error {
	c.OIDCIssuer = strings.TrimSpace(getenv("COPBANK_OIDC_ISSUER"))
	c.OIDCClientID = strings.TrimSpace(getenv("COPBANK_OIDC_CLIENT_ID"))
	c.OIDCClientSecret = getenv("COPBANK_OIDC_CLIENT_SECRET")
	if c.OIDCIssuer == "" && c.OIDCClientID == "" && c.OIDCClientSecret == "" {
		return nil
	}
	u, err := url.Parse(c.OIDCIssuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("COPBANK_OIDC_ISSUER %q must be the provider's issuer URL, such as https://login.microsoftonline.com/TENANT/v2.0", c.OIDCIssuer)
	}
	if c.OIDCClientID == "" || c.OIDCClientSecret == "" {
		return fmt.Errorf("COPBANK_OIDC_CLIENT_ID and COPBANK_OIDC_CLIENT_SECRET must both be set with COPBANK_OIDC_ISSUER")
	}
	return nil
}

// OIDCEnabled reports whether staff may sign in with a force account.
func (c Config) OIDCEnabled() bool { return c.OIDCIssuer != "" }

// OIDCRedirectURL is where the provider sends the browser back: register it
// with the provider as copbank's redirect URI.
func (c Config) OIDCRedirectURL() string { return c.BaseURL + "/auth/oidc/callback" }

// mfaRequired reads COPBANK_MFA_REQUIRED: unset means admin and
// coordinator, "none" (or set but empty) means no role.
func mfaRequired(v string) ([]domain.Role, error) {
	if v == "" {
		return []domain.Role{domain.RoleAdmin, domain.RoleCoordinator}, nil
	}
	v = strings.TrimSpace(v)
	if v == "" || strings.EqualFold(v, "none") {
		return nil, nil
	}
	var roles []domain.Role
	for _, s := range strings.Split(v, ",") {
		r, ok := domain.ParseRole(strings.TrimSpace(s))
		if !ok {
			return nil, fmt.Errorf("COPBANK_MFA_REQUIRED %q: name roles from admin, coordinator, member, comma-separated, or none", v)
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	return roles, nil
}

// MustUseSecondFactor reports whether u must sign in with a second factor
// when using a password.
func (c Config) MustUseSecondFactor(u domain.User) bool {
	for _, r := range c.MFARequired {
		if u.Has(r) {
			return true
		}
	}
	return false
}

// OfferTTL is how long an offered place waits for its answer.
func (c Config) OfferTTL() time.Duration { return time.Duration(c.OfferHours) * time.Hour }

func portOf(addr string) string {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return ""
	}
	return addr[i+1:]
}

// LogValue masks secrets when the effective config is logged at start.
func (c Config) LogValue() slog.Value {
	dbURL := c.DatabaseURL
	if dbURL == "" {
		dbURL = "(embedded sqlite ./copbank.db)"
	} else if u, err := url.Parse(dbURL); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		dbURL = u.String()
	}
	return slog.GroupValue(
		slog.String("database_url", dbURL),
		slog.String("addr", c.Addr),
		slog.String("tz", c.TimeZone.String()),
		slog.String("base_url", c.BaseURL),
		slog.String("log_level", c.LogLevel.String()),
		slog.Bool("admin_password_set", c.AdminPassword != ""),
		slog.Duration("token_ttl", c.TokenTTL),
		slog.Int("retention_months", c.RetentionMonths),
		slog.Int("offer_hours", c.OfferHours),
		slog.Int("unsupervised_hours", c.UnsupervisedHours),
		slog.String("smtp_url", maskedSMTP(c.SMTPURL)),
		slog.String("mail_from", c.MailFrom),
		slog.Bool("notify_api_key_set", c.NotifyAPIKey != ""),
		slog.String("oidc_issuer", c.OIDCIssuer),
		slog.String("oidc_client_id", c.OIDCClientID),
		slog.Bool("oidc_client_secret_set", c.OIDCClientSecret != ""),
		slog.Any("mfa_required", c.MFARequired),
		slog.Bool("development", c.Development),
		slog.Any("noshow", c.NoShow),
		slog.Int("welfare_remind_minutes", c.WelfareRemindMinutes),
		slog.Int("welfare_alert_minutes", c.WelfareAlertMinutes),
	)
}

// maskedSMTP is an SMTP URL fit for the log.
func maskedSMTP(v string) string {
	if v == "" {
		return "(none: email is logged)"
	}
	u, err := url.Parse(v)
	if err != nil {
		return "(unparseable)"
	}
	return u.Redacted()
}
