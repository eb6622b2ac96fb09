package app

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/boombuler/barcode/qr"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// The TOTP second factor (RFC 6238: SHA-1, six digits, 30-second steps, what
// every authenticator app reads from a QR code). A code is accepted one step
// either side of now for clock drift, and only for a step later than the last
// accepted one, so a code is never used twice. The secret is sealed with
// AES-256-GCM under a server key kept in server_keys: a leaked copy of the
// user_totp table alone gives nothing away, though a whole-database dump
// holds the key too.
const (
	totpPeriod        = 30
	totpSkew          = 1
	recoveryCodeCount = 10
	totpKeyName       = "totp"
)

// TOTPEnrolment is a new, unconfirmed factor as shown to its owner once: the
// secret in text, the otpauth URL and its QR code as a PNG and as SVG.
type TOTPEnrolment struct {
	Secret     string
	OTPAuthURL string
	QRPNG      []byte
	// QRSVG is a whole <svg> element: pages draw it inline, which their
	// content security policy allows where a data: image would be refused.
	QRSVG string
}

// EnrolTOTP starts enrolment: a fresh secret replaces any unconfirmed one.
// A confirmed factor is a conflict (an admin resets it first).
func (a *App) EnrolTOTP(ctx context.Context, p *domain.Principal) (TOTPEnrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "copbank", AccountName: p.User.Email, Period: totpPeriod})
	if err != nil {
		return TOTPEnrolment{}, err
	}
	sealed, err := a.sealTOTP(ctx, key.Secret())
	if err != nil {
		return TOTPEnrolment{}, err
	}
	if err := a.store.PutTOTP(ctx, domain.TOTP{UserID: p.User.ID, Secret: sealed, CreatedAt: a.Now()}); err != nil {
		return TOTPEnrolment{}, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return TOTPEnrolment{}, err
	}
	svg, err := qrSVG(key.URL())
	if err != nil {
		return TOTPEnrolment{}, err
	}
	return TOTPEnrolment{Secret: key.Secret(), OTPAuthURL: key.URL(), QRPNG: buf.Bytes(), QRSVG: svg}, nil
}

// qrSVG draws content as a QR code: one path of unit squares, one per dark
// module, inside the four-module quiet zone readers need.
func qrSVG(content string) (string, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return "", err
	}
	const quiet = 4
	b := code.Bounds()
	size := b.Dx() + 2*quiet
	var d strings.Builder
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, _, _, _ := code.At(x, y).RGBA(); r == 0 {
				fmt.Fprintf(&d, "M%d %dh1v1h-1z", x-b.Min.X+quiet, y-b.Min.Y+quiet)
			}
		}
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 %d %d" width="240" height="240" role="img" aria-label="QR code to scan with your authenticator app; the same key is written out below" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		size, size, size, size, d.String()), nil
}

// ConfirmTOTP checks a first code from the new factor, marks it confirmed
// and returns ten recovery codes, shown this once and stored only hashed.
// A wrong code is invalid naming "code" and counts as a failed sign-in.
func (a *App) ConfirmTOTP(ctx context.Context, p *domain.Principal, code string) ([]string, error) {
	f, err := a.store.TOTPByUser(ctx, p.User.ID)
	if domain.ErrorCode(err) == domain.ENotFound || err == nil && f.ConfirmedAt != nil {
		return nil, domain.Errorf(domain.EConflict, "there is no enrolment waiting for a code: start with POST /api/v1/me/totp")
	}
	if err != nil {
		return nil, err
	}
	if err := a.checkCodeLimit(ctx, p.User.Email, RequestOf(ctx).Address); err != nil {
		return nil, err
	}
	ok, err := a.checkTOTP(ctx, f, code)
	if err != nil {
		return nil, err
	}
	if !ok {
		if err := a.store.RecordLogin(ctx, p.User.Email, RequestOf(ctx).Address, false, a.Now()); err != nil {
			return nil, err
		}
		return nil, domain.Invalid("the code is not right", domain.FieldError{Field: "code", Message: "is not the code your authenticator app shows now"})
	}
	codes := make([]string, recoveryCodeCount)
	hashes := make(map[string]string, recoveryCodeCount)
	for i := range codes {
		codes[i], err = newRecoveryCode()
		if err != nil {
			return nil, err
		}
		hashes[NewID()] = recoveryHash(p.User.ID, codes[i])
	}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.ConfirmTOTP(ctx, p.User.ID, a.Now(), hashes); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "user.totp.enrol", entity: "user", entityID: p.User.ID, memberID: p.User.MemberID,
			after: map[string]any{"recovery_codes": recoveryCodeCount}})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// ResetTOTP removes another user's factor and recovery codes (an admin
// only), so that they enrol again; not found when they had none.
func (a *App) ResetTOTP(ctx context.Context, p *domain.Principal, userID string) error {
	if !p.IsAdmin() {
		return forbidden("only an admin may reset a second factor")
	}
	u, err := a.store.UserByID(ctx, userID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return notFound("account")
	}
	if err != nil {
		return err
	}
	return a.store.InTx(ctx, func(tx *db.Store) error {
		had, err := tx.DeleteTOTP(ctx, u.ID)
		if err != nil {
			return err
		}
		if !had {
			return domain.Errorf(domain.ENotFound, "the account has no second factor to reset")
		}
		return a.audit(ctx, tx, p, auditEvent{action: "user.totp.reset", entity: "user", entityID: u.ID, memberID: u.MemberID,
			before: map[string]any{"totp": true}, after: map[string]any{"totp": false}})
	})
}

// checkTOTP reports whether code is the factor's code for a step near now
// that is later than the last one used, and spends that step.
func (a *App) checkTOTP(ctx context.Context, f domain.TOTP, code string) (bool, error) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return false, nil
	}
	secret, err := a.openTOTP(ctx, f.Secret)
	if err != nil {
		return false, err
	}
	now := a.Now()
	step := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := step + d
		if s <= f.LastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return false, err
		}
		if hmac.Equal([]byte(want), []byte(code)) {
			return a.store.UseTOTPStep(ctx, f.UserID, s)
		}
	}
	return false, nil
}

// useRecoveryCode spends one of a user's unused recovery codes.
func (a *App) useRecoveryCode(ctx context.Context, userID, code string) (bool, error) {
	return a.store.UseRecoveryCode(ctx, userID, recoveryHash(userID, code), a.Now())
}

// newRecoveryCode is 60 random bits as three groups of four base32 letters.
func newRecoveryCode() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:12]
	return s[:4] + "-" + s[4:8] + "-" + s[8:], nil
}

// recoveryHash is salted with the user's id so equal codes of two users
// differ at rest; codes are read without case, spaces or dashes.
func recoveryHash(userID, code string) string {
	norm := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("recovery\x00" + userID + "\x00" + norm))
	return hex.EncodeToString(sum[:])
}

// looksLikeRecoveryCode tells a recovery code from a six-digit TOTP code.
func looksLikeRecoveryCode(code string) bool {
	return len(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code))) == 12
}

func (a *App) totpAEAD(ctx context.Context) (cipher.AEAD, error) {
	candidate := make([]byte, 32)
	if _, err := rand.Read(candidate); err != nil {
		return nil, err
	}
	stored, err := a.store.ServerKey(ctx, totpKeyName, hex.EncodeToString(candidate), a.Now())
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(stored)
	if err != nil || len(key) != 32 {
		return nil, domain.Errorf(domain.EInternal, "the stored second-factor key is damaged")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (a *App) sealTOTP(ctx context.Context, secret string) (string, error) {
	aead, err := a.totpAEAD(ctx)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(secret), nil)), nil
}

func (a *App) openTOTP(ctx context.Context, sealed string) (string, error) {
	aead, err := a.totpAEAD(ctx)
	if err != nil {
		return "", err
	}
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < aead.NonceSize() {
		return "", domain.Errorf(domain.EInternal, "a stored second-factor secret is damaged")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
	if err != nil {
		return "", domain.Errorf(domain.EInternal, "a stored second-factor secret does not open under the server key")
	}
	return string(plain), nil
}
