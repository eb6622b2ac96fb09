// Package oidctest runs a real OpenID Connect provider in the test
// process (zitadel's op package with its example storage and login page),
// for the tests of copbank's sign-in with a force account. Tests only: the
// program never imports it, so the provider's dependencies stay out of the
// binary.
package oidctest
