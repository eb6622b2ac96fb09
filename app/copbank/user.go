package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
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

	a, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Store.Close()
	if _, err := a.Store.Migrate(ctx); err != nil {
		return err
	}
	u, err := a.CreateUser(ctx, app.NewUser{Email: *email, Name: *name, Password: password, Roles: roles})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created user %s (%s) with roles %s\n", u.Email, u.ID, *rolesFlag)
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
