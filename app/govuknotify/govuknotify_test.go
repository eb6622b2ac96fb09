package govuknotify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/govuknotify"
)

func TestTheSMSChannelPostsToNotifyWithAJWT(t *testing.T) {
	t.Parallel()
	const serviceID = "26785a09-ab16-4eb0-8407-a37497a57506"
	const secret = "3d844edf-8d35-48ac-975b-e847b4f122b0"
	type seen struct {
		path, auth string
		body       map[string]any
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		got <- seen{r.Method + " " + r.URL.Path, r.Header.Get("Authorization"), body}
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":"740e5834-3a29-46b4-9a6f-16142fde533a"}`)
	}))
	defer srv.Close()
	n, err := govuknotify.NewSMS("copbank_test-"+serviceID+"-"+secret, srv.URL, "tmpl-1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := n.Send(context.Background(), app.Message{Phone: "07700900123", Text: "Your place is confirmed.", Link: "https://copbank.example/my-shifts", Reference: "ev1"}); err != nil {
		t.Fatal(err)
	}
	req := <-got
	if req.path != "POST /v2/notifications/sms" {
		t.Errorf("request %q", req.path)
	}
	token, ok := strings.CutPrefix(req.auth, "Bearer ")
	parts := strings.Split(token, ".")
	if !ok || len(parts) != 3 {
		t.Fatalf("authorization %q is not a bearer JWT", req.auth)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if sig, _ := base64.RawURLEncoding.DecodeString(parts[2]); !hmac.Equal(sig, mac.Sum(nil)) {
		t.Error("the JWT is not signed with the key's secret")
	}
	var header, claims map[string]any
	h, _ := base64.RawURLEncoding.DecodeString(parts[0])
	c, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if json.Unmarshal(h, &header) != nil || json.Unmarshal(c, &claims) != nil {
		t.Fatalf("JWT header %s, claims %s", h, c)
	}
	if header["alg"] != "HS256" || header["typ"] != "JWT" {
		t.Errorf("JWT header %v", header)
	}
	if claims["iss"] != serviceID {
		t.Errorf("iss %v, want the service id", claims["iss"])
	}
	if iat, _ := claims["iat"].(float64); int64(iat) < now.Unix()-1 || int64(iat) > now.Unix()+1 {
		t.Errorf("iat %v, want now (%d)", claims["iat"], now.Unix())
	}
	if req.body["phone_number"] != "07700900123" || req.body["template_id"] != "tmpl-1" || req.body["reference"] != "ev1" {
		t.Errorf("body %v", req.body)
	}
	pers, _ := req.body["personalisation"].(map[string]any)
	if b, _ := pers["body"].(string); !strings.Contains(b, "Your place is confirmed.") || !strings.Contains(b, "https://copbank.example/my-shifts") {
		t.Errorf("personalisation %v", req.body["personalisation"])
	}

	// Notify's refusal is an error, with its reason.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"errors":[{"error":"ValidationError","message":"phone_number Not a UK mobile number"}]}`)
	}))
	defer bad.Close()
	n.BaseURL = bad.URL
	if err := n.Send(context.Background(), app.Message{Phone: "123", Text: "x"}); err == nil || !strings.Contains(err.Error(), "Not a UK mobile number") {
		t.Errorf("a refused text: %v", err)
	}
}
