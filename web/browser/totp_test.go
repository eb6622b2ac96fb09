package browser_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/copbank/copbank/app/demo"
	"github.com/copbank/copbank/domain"
)

var (
	atEnrol    = regexp.MustCompile(`^/account/totp$`)
	atCode     = regexp.MustCompile(`^/sign-in(/code)?$`)
	signedOut  = regexp.MustCompile(`^/sign-in$`)
	codeButton = `//main//button[normalize-space(.)='Continue']`
)

// codeAt is the code an authenticator app shows for secret at t.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// passwordStep signs in with the password of an account with a factor and
// lands on the form that asks for the code.
func (b *tab) passwordStep(email string) {
	b.t.Helper()
	b.open("/sign-in", atSignIn)
	b.fill("email", email)
	b.fill("password", demo.Password)
	b.navigates(atCode, click(`button[type="submit"].button`))
	b.wantText("Enter your code")
}

func (b *tab) signOut() {
	b.t.Helper()
	b.navigates(signedOut, click(`form[action="/sign-out"] button`))
}

func TestSecondFactorJourneys(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	s := startSite(t)

	t.Run("a member enrols with the secret, signs in with a code, and a recovery code works once", func(t *testing.T) {
		b := s.newTab(t, 320, 640)
		b.signIn(volunteer)
		b.open("/account/totp", atEnrol)
		b.navigates(atEnrol, click(button("Set up an authenticator app")))
		b.wantText("Scan this QR code", "Key:")
		if !eval[bool](b, `(q => q !== null && q.getBoundingClientRect().width > 100 && q.querySelector("path").getAttribute("d").length > 1000)(document.querySelector("main svg.qr"))`) {
			t.Fatal("no QR code drawn by copbank on the page")
		}
		secret := eval[string](b, `document.getElementById("totp-secret").dataset.secret`)
		b.fill("code", codeAt(t, secret, time.Now()))
		b.navigates(regexp.MustCompile(`^/account/totp/confirm$`), click(button("Confirm")))
		b.wantText("Your recovery codes", "only time they are shown")
		codes := eval[[]string](b, `[...document.querySelectorAll("ul.recovery-codes code")].map(c => c.innerText)`)
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes shown, want 10", len(codes))
		}
		b.signOut()

		// The confirmation spent this step's code; the app's next one is
		// within the drift allowed.
		b.passwordStep(volunteer)
		b.fill("code", codeAt(t, secret, time.Now().Add(30*time.Second)))
		b.navigates(atShifts, click(codeButton))
		// The account page lists this browser's session; ending it signs out.
		b.open("/account", regexp.MustCompile(`^/account$`))
		b.wantText("Where you are signed in", "Browser (this one)", "An authenticator app is set up")
		b.navigates(signedOut, click(`//main//tr[contains(., "(this one)")]//button`))
		b.open("/account", signedOut)

		b.passwordStep(volunteer)
		b.fill("code", codes[0])
		b.navigates(atShifts, click(codeButton))
		b.signOut()

		b.passwordStep(volunteer)
		b.fill("code", codes[0])
		b.navigates(atCode, click(codeButton))
		b.wantText("not right or was used already")
	})

	t.Run("an admin without a second factor is sent to enrol before any admin page", func(t *testing.T) {
		s.app.Config.MFARequired = []domain.Role{domain.RoleAdmin, domain.RoleCoordinator}
		defer func() { s.app.Config.MFARequired = nil }()
		b := s.newTab(t, 320, 640)
		b.open("/sign-in", atSignIn)
		b.fill("email", admin)
		b.fill("password", demo.Password)
		b.navigates(atEnrol, click(`button[type="submit"].button`))
		b.wantText("Your role needs a second factor")
		for _, page := range []string{"/admin/members", "/dashboard", "/shifts", "/account"} {
			b.open(page, atEnrol)
		}
		b.navigates(atEnrol, click(button("Set up an authenticator app")))
		secret := eval[string](b, `document.getElementById("totp-secret").dataset.secret`)
		b.fill("code", codeAt(t, secret, time.Now()))
		b.navigates(regexp.MustCompile(`^/account/totp/confirm$`), click(button("Confirm")))
		b.wantText("Your recovery codes")
		b.open("/admin/members", regexp.MustCompile(`^/admin/members$`))
	})
}
