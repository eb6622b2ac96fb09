package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Login rate limits: failures in the window, per account and per address.
const (
	loginWindow         = 15 * time.Minute
	maxFailuresPerEmail = 5
	maxFailuresPerAddr  = 30
	minPasswordLength   = 12
	tokenSecretBytes    = 32
)

// NewUser is the input for creating an account.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Roles    []domain.Role
	MemberID string
	// Areas are the codes of the areas a coordinator is scoped to, written
	// with the account so that no coordinator exists without their scope.
	Areas []string
}

// CreateUser validates and stores an account with an argon2id password hash.
func (a *App) CreateUser(ctx context.Context, in NewUser) (domain.User, error) {
	var fields []domain.FieldError
	email := strings.TrimSpace(in.Email)
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		fields = append(fields, domain.FieldError{Field: "email", Message: "must be an email address such as sam@example.org"})
	}
	if strings.TrimSpace(in.Name) == "" {
		fields = append(fields, domain.FieldError{Field: "name", Message: "is required"})
	}
	if len([]rune(in.Password)) < minPasswordLength {
		fields = append(fields, domain.FieldError{Field: "password", Message: "must be at least 12 characters"})
	}
	if len(in.Roles) == 0 {
		fields = append(fields, domain.FieldError{Field: "roles", Message: "name at least one of admin, coordinator, member"})
	}
	areas, areaFields, err := a.coordinatorScope(ctx, in)
	if err != nil {
		return domain.User{}, err
	}
	fields = append(fields, areaFields...)
	if len(fields) > 0 {
		return domain.User{}, domain.Invalid("the account could not be created", fields...)
	}
	hash, err := hashPasswordCost(in.Password, a.Config.PasswordMemoryKiB)
	if err != nil {
		return domain.User{}, err
	}
	u := domain.User{
		ID: NewID(), Email: email, Name: strings.TrimSpace(in.Name), PasswordHash: hash,
		Roles: in.Roles, MemberID: in.MemberID, Areas: areas, CreatedAt: a.Now(),
	}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		// The account's email and name are personal: recorded by reference.
		after := map[string]any{"user_id": u.ID, "roles": u.Roles, "member_id": u.MemberID, "fields_set": []string{"email", "name", "password"}}
		if len(areas) > 0 {
			ids := make([]string, len(areas))
			for i, ar := range areas {
				ids[i] = ar.ID
			}
			if err := tx.SetUserAreas(ctx, u.ID, ids); err != nil {
				return err
			}
			after["area_ids"] = ids
		}
		return a.audit(ctx, tx, CommandLineOperator(), auditEvent{action: "user.create", entity: "user", entityID: u.ID, memberID: u.MemberID, after: after})
	})
	if err != nil {
		return domain.User{}, err
	}
	return u, nil
}

// coordinatorScope resolves NewUser.Areas, in code order as an account's
// areas are read back; only a coordinator has a scope.
func (a *App) coordinatorScope(ctx context.Context, in NewUser) ([]domain.Area, []domain.FieldError, error) {
	if len(in.Areas) == 0 {
		return nil, nil, nil
	}
	if !slices.Contains(in.Roles, domain.RoleCoordinator) {
		return nil, []domain.FieldError{{Field: "areas", Message: "scope a coordinator; add coordinator to the roles"}}, nil
	}
	var areas []domain.Area
	var fields []domain.FieldError
	for i, code := range in.Areas {
		ar, err := a.store.AreaByCode(ctx, strings.TrimSpace(code))
		if domain.ErrorCode(err) == domain.ENotFound {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("areas[%d]", i), Message: fmt.Sprintf("no area has the code %q", code)})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if !slices.ContainsFunc(areas, func(x domain.Area) bool { return x.ID == ar.ID }) {
			areas = append(areas, ar)
		}
	}
	slices.SortFunc(areas, func(x, y domain.Area) int { return strings.Compare(x.Code, y.Code) })
	return areas, fields, nil
}

// UserByEmail finds an account by its sign-in email, for an admin (the
// command-line operator is one); anyone else is forbidden.
func (a *App) UserByEmail(ctx context.Context, p *domain.Principal, email string) (domain.User, error) {
	if !p.IsAdmin() {
		return domain.User{}, forbidden("only an admin may look accounts up")
	}
	u, err := a.store.UserByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.User{}, notFound("account")
	}
	return u, err
}

// IssuedToken is a bearer token as handed to the caller, the only time the
// secret is ever visible.
type IssuedToken struct {
	Token     string
	ExpiresAt time.Time
}

// checkCredentials is the sign-in check the API and the pages share: rate
// limited per account and per address (counts kept in the database), with an
// unknown email and a wrong password alike.
func (a *App) checkCredentials(ctx context.Context, email, password, address string) (domain.User, error) {
	now := a.Now()
	byEmail, byAddr, err := a.store.FailedLogins(ctx, email, address, now.Add(-loginWindow))
	if err != nil {
		return domain.User{}, err
	}
	if byEmail >= maxFailuresPerEmail || byAddr >= maxFailuresPerAddr {
		return domain.User{}, domain.Errorf(domain.ETooMany, "too many failed sign-ins; try again in %d minutes", int(loginWindow.Minutes()))
	}
	user, err := a.store.UserByEmail(ctx, email)
	if err != nil && domain.ErrorCode(err) != domain.ENotFound {
		return domain.User{}, err
	}
	hash := user.PasswordHash
	if hash == "" {
		hash = a.dummyHash()
	}
	ok := CheckPassword(hash, password) && user.ID != "" && user.DisabledAt == nil
	if err := a.store.RecordLogin(ctx, email, address, ok, now); err != nil {
		return domain.User{}, err
	}
	if !ok {
		return domain.User{}, domain.Errorf(domain.EUnauthorized, "the email or password is not right")
	}
	return user, nil
}

func (a *App) issueToken(ctx context.Context, userID string, now time.Time, enrolmentOnly bool) (IssuedToken, error) {
	secret := make([]byte, tokenSecretBytes)
	if _, err := rand.Read(secret); err != nil {
		return IssuedToken{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(secret)
	t := domain.Token{ID: NewID(), UserID: userID, Hash: hashToken(token), CreatedAt: now, ExpiresAt: now.Add(a.Config.TokenTTL), EnrolmentOnly: enrolmentOnly}
	if err := a.store.CreateToken(ctx, t); err != nil {
		return IssuedToken{}, err
	}
	return IssuedToken{Token: token, ExpiresAt: t.ExpiresAt}, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate resolves a bearer token to the calling principal. Expired,
// revoked, unknown tokens and disabled accounts are all unauthorised.
func (a *App) Authenticate(ctx context.Context, token string) (*domain.Principal, error) {
	unauthorised := domain.Errorf(domain.EUnauthorized, "the token is missing, expired or revoked; sign in again")
	if token == "" {
		return nil, unauthorised
	}
	t, u, err := a.store.TokenWithUser(ctx, hashToken(token))
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, unauthorised
	}
	if err != nil {
		return nil, err
	}
	if t.RevokedAt != nil || !a.Now().Before(t.ExpiresAt) {
		return nil, unauthorised
	}
	if u.DisabledAt != nil {
		return nil, unauthorised
	}
	limited, err := a.enrolmentOnly(ctx, t.EnrolmentOnly, u.ID)
	if err != nil {
		return nil, err
	}
	return &domain.Principal{User: u, TokenID: t.ID, EnrolmentOnly: limited}, nil
}

// Logout revokes the caller's token.
func (a *App) Logout(ctx context.Context, p *domain.Principal) error {
	return a.store.RevokeToken(ctx, p.TokenID, a.Now())
}

// EnsureFirstAdmin creates an admin on an empty database. It returns the
// generated password when none was configured, to be shown once.
func (a *App) EnsureFirstAdmin(ctx context.Context) (email, generatedPassword string, err error) {
	n, err := a.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", "", err
	}
	email, password := a.Config.AdminEmail, a.Config.AdminPassword
	if email == "" {
		email = "admin@copbank.local"
	}
	if password == "" {
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			return "", "", err
		}
		password = base64.RawURLEncoding.EncodeToString(b)
		generatedPassword = password
	}
	_, err = a.CreateUser(ctx, NewUser{Email: email, Name: "Administrator", Password: password, Roles: []domain.Role{domain.RoleAdmin}})
	return email, generatedPassword, err
}
