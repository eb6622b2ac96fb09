package smtpmail

import (
	"strings"
	"testing"
)

func TestMessageIDIsTheSameForTheSameMessageAndDiffersOtherwise(t *testing.T) {
	t.Parallel()
	from := "copbank <noreply@copbank.test>"
	a, b := messageID("booking.confirmed/1 m1", from), messageID("booking.confirmed/1 m1", from)
	if a != b {
		t.Errorf("the same message got %q and %q", a, b)
	}
	if c := messageID("booking.confirmed/2 m1", from); c == a {
		t.Errorf("two messages share %q", a)
	}
	if !strings.HasSuffix(a, "@copbank.test") || strings.ContainsAny(a, "<> ") {
		t.Errorf("message id %q is not local@domain of the sender", a)
	}
}
