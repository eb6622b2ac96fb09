package app_test

import (
	"slices"
	"testing"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

func TestMFARequiredIsReadFromTheEnvironment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value string
		set         bool
		want        []domain.Role
		bad         bool
	}{
		{name: "unset requires admins and coordinators", want: []domain.Role{domain.RoleAdmin, domain.RoleCoordinator}},
		{name: "none requires no role", value: "none", set: true},
		{name: "a list names the roles", value: "admin, member", set: true, want: []domain.Role{domain.RoleAdmin, domain.RoleMember}},
		{name: "an unknown role stops the program", value: "admin,boss", set: true, bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := app.LoadConfig(func(k string) string {
				if k == "COPBANK_MFA_REQUIRED" && tc.set {
					return tc.value
				}
				return ""
			})
			if tc.bad {
				if err == nil {
					t.Fatal("accepted")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.MFARequired, tc.want) {
				t.Fatalf("MFARequired %v, want %v", c.MFARequired, tc.want)
			}
		})
	}
	if len(app.DefaultConfig().MFARequired) != 0 {
		t.Error("DefaultConfig, which tests build on, requires a second factor")
	}
}
