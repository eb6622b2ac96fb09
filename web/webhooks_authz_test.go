package web_test

import "slices"

// The webhook rows of the authorisation matrix go in before its last row,
// which erases member A. Only admins see or register endpoints.
func init() {
	authzRows = slices.Insert(authzRows, len(authzRows)-1, webhookAuthzRows...)
}

var webhookAuthzRows = []authzRow{
	{method: "GET", route: "/api/v1/webhooks", path: "/api/v1/webhooks", want: [6]int{401, 403, 403, 403, 403, 200}},
	{method: "POST", route: "/api/v1/webhooks", path: "/api/v1/webhooks", body: `{"url":"https://partner{uniq}.example.org/hook"}`,
		want: [6]int{401, 403, 403, 403, 403, 201}},
	{method: "GET", route: "/api/v1/webhooks/:id/deliveries", path: "/api/v1/webhooks/{webhook}/deliveries",
		want: [6]int{401, 403, 403, 403, 403, 200}},
	{method: "DELETE", route: "/api/v1/webhooks/:id", path: "/api/v1/webhooks/{webhook}",
		want: [6]int{401, 403, 403, 403, 403, 204}},
}
