package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/mail"
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
	if len(fields) > 0 {
		return domain.User{}, domain.Invalid("the account could not be created", fields...)
	}
	hash, err := hashPasswordCost(in.Password, a.Config.PasswordMemoryKiB)
	if err != nil {
		return domain.User{}, err
	}
	u := domain.User{
		ID: NewID(), Email: email, Name: strings.TrimSpace(in.Name), PasswordHash: hash,
		Roles: in.Roles, MemberID: in.MemberID, CreatedAt: a.Now(),
	}
	err = a.Store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		// The account's email and name are personal: recorded by reference.
		return a.audit(ctx, tx, CommandLineOperator(), auditEvent{action: "user.create", entity: "user", entityID: u.ID, memberID: u.MemberID,
			after: map[string]any{"user_id": u.ID, "roles": u.Roles, "member_id": u.MemberID, "fields_set": []string{"email", "name", "password"}}})
	})
	if err != nil {
		return domain.User{}, err
	}
	return u, nil
}

// IssuedToken is a bearer token as handed to the caller, the only time the
// secret is ever visible.
type IssuedToken struct {
	Token     string
	ExpiresAt time.Time
}

// Login checks credentials and issues a bearer token. Unknown email and wrong
// password are the same unauthorised error; too many failures are rate limited.
func (a *App) Login(ctx context.Context, email, password, address string) (IssuedToken, error) {
	user, err := a.checkCredentials(ctx, email, password, address)
	if err != nil {
		return IssuedToken{}, err
	}
	return a.issueToken(ctx, user.ID, a.Now())
}

// checkCredentials is the sign-in check the API and the pages share: rate
// limited per account and per address (counts kept in the database), with an
// unknown email and a wrong password alike.
func (a *App) checkCredentials(ctx context.Context, email, password, address string) (domain.User, error) {
	now := a.Now()
	byEmail, byAddr, err := a.Store.FailedLogins(ctx, email, address, now.Add(-loginWindow))
	if err != nil {
		return domain.User{}, err
	}
	if byEmail >= maxFailuresPerEmail || byAddr >= maxFailuresPerAddr {
		return domain.User{}, domain.Errorf(domain.ETooMany, "too many failed sign-ins; try again in %d minutes", int(loginWindow.Minutes()))
	}
	user, err := a.Store.UserByEmail(ctx, email)
	if err != nil && domain.ErrorCode(err) != domain.ENotFound {
		return domain.User{}, err
	}
	hash := user.PasswordHash
	if hash == "" {
		hash = a.dummyHash()
	}
	ok := CheckPassword(hash, password) && user.ID != "" && user.DisabledAt == nil
	if err := a.Store.RecordLogin(ctx, email, address, ok, now); err != nil {
		return domain.User{}, err
	}
	if !ok {
		return domain.User{}, domain.Errorf(domain.EUnauthorized, "the email or password is not right")
	}
	return user, nil
}

func (a *App) issueToken(ctx context.Context, userID string, now time.Time) (IssuedToken, error) {
	secret := make([]byte, tokenSecretBytes)
	if _, err := rand.Read(secret); err != nil {
		return IssuedToken{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(secret)
	t := domain.Token{ID: NewID(), UserID: userID, Hash: hashToken(token), CreatedAt: now, ExpiresAt: now.Add(a.Config.TokenTTL)}
	if err := a.Store.CreateToken(ctx, t); err != nil {
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
	t, err := a.Store.TokenByHash(ctx, hashToken(token))
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, unauthorised
	}
	if err != nil {
		return nil, err
	}
	if t.RevokedAt != nil || !a.Now().Before(t.ExpiresAt) {
		return nil, unauthorised
	}
	u, err := a.Store.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.DisabledAt != nil {
		return nil, unauthorised
	}
	return &domain.Principal{User: u, TokenID: t.ID}, nil
}

// Logout revokes the caller's token.
func (a *App) Logout(ctx context.Context, p *domain.Principal) error {
	return a.Store.RevokeToken(ctx, p.TokenID, a.Now())
}

// EnsureFirstAdmin creates an admin on an empty database. It returns the
// generated password when none was configured, to be shown once.
func (a *App) EnsureFirstAdmin(ctx context.Context) (email, generatedPassword string, err error) {
	n, err := a.Store.CountUsers(ctx)
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
