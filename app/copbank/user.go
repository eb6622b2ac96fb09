package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

func userCreate(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "sign-in email (for a member: the email of their member record)")
	name := fs.String("name", "", "full name")
	rolesFlag := fs.String("roles", "member", "comma-separated: admin, coordinator, member")
	areasFlag := fs.String("areas", "", "comma-separated area codes a coordinator is scoped to, such as DARL,DUR-CITY")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var roles []domain.Role
	for _, r := range strings.Split(*rolesFlag, ",") {
		role, ok := domain.ParseRole(strings.TrimSpace(r))
		if !ok {
			return fmt.Errorf("--roles: %q is not a role (use admin, coordinator, member)", r)
		}
		roles = append(roles, role)
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read password from stdin: %w", err)
	}
	password = strings.TrimRight(password, "\r\n")

	a, store, err := openMigrated(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	var areaCodes []string
	if strings.TrimSpace(*areasFlag) != "" {
		if !slices.Contains(roles, domain.RoleCoordinator) {
			return fmt.Errorf("--areas scopes a coordinator; add coordinator to --roles")
		}
		for _, code := range strings.Split(*areasFlag, ",") {
			areaCodes = append(areaCodes, strings.TrimSpace(code))
		}
	}
	var memberID string
	if slices.Contains(roles, domain.RoleMember) {
		m, err := a.MemberByEmail(ctx, app.CommandLineOperator(), *email)
		if domain.ErrorCode(err) == domain.ENotFound {
			return fmt.Errorf("--roles member: no member record has the email %q; add the member first (POST /api/v1/members or copbank import)", *email)
		}
		if err != nil {
			return err
		}
		memberID = m.ID
	}
	u, err := a.CreateUser(ctx, app.NewUser{Email: *email, Name: *name, Password: password, Roles: roles, MemberID: memberID, Areas: areaCodes})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created user %s (%s) with roles %s", u.Email, u.ID, *rolesFlag)
	if len(areaCodes) > 0 {
		fmt.Fprintf(stdout, " in areas %s", strings.Join(areaCodes, ","))
	}
	if memberID != "" {
		fmt.Fprintf(stdout, ", signing in as member %s", memberID)
	}
	fmt.Fprintln(stdout)
	return nil
}

// describe spells a domain error out for a terminal.
func describe(err error) error {
	de, ok := err.(*domain.Error)
	if !ok || len(de.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(de.Message)
	for _, f := range de.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return fmt.Errorf("%s", b.String())
}
