package web

// RouteKeys lists "METHOD path" for every API row of the route table, so
// that the authorisation matrix (package web_test, beside the HTTP test
// helpers) can check that each API route has a row.
func RouteKeys(s *Server) []string {
	var out []string
	for _, r := range s.routeTable() {
		if r.access.isAPI() {
			out = append(out, routeKey(r))
		}
	}
	return out
}
