package app

// RefuseLocal is the webhook dialer's connect-time check.
var RefuseLocal = refuseLocal
