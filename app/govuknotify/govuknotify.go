// Package govuknotify sends copbank's texts through GOV.UK Notify's REST
// API v2. It implements app.Notifier; the composition root builds an SMS
// sender from COPBANK_NOTIFY_API_KEY and hands it to the App.
package govuknotify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/copbank/copbank/app"
)

// Notify sends a text from a template; copbank's template is ((body)) and
// each message supplies the body. Requests carry a JWT (HS256) made from the API key, whose last
// 36 characters are the secret and the 36 before them the service id.

const idLen = 36

// splitKey returns the service id and secret of a Notify API key
// ("{name}-{service id}-{secret}").
func splitKey(key string) (serviceID, secret string, err error) {
	if len(key) < 2*idLen+1 {
		return "", "", fmt.Errorf("too short for a GOV.UK Notify API key (name-serviceid-secret)")
	}
	secret = key[len(key)-idLen:]
	serviceID = key[len(key)-2*idLen-1 : len(key)-idLen-1]
	return serviceID, secret, nil
}

// bearerToken is Notify's bearer token: iss the service id, iat now, HS256
// with the secret.
func bearerToken(serviceID, secret string, now time.Time) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`))
	claims, _ := json.Marshal(struct {
		Iss string `json:"iss"`
		Iat int64  `json:"iat"`
	}{serviceID, now.Unix()})
	signing := header + "." + enc.EncodeToString(claims)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}

// SMS sends texts through GOV.UK Notify.
type SMS struct {
	BaseURL    string
	TemplateID string
	serviceID  string
	secret     string
	Client     *http.Client
	Now        func() time.Time
}

// NewSMS reads an API key; baseURL is Notify's API address.
func NewSMS(apiKey, baseURL, templateID string) (*SMS, error) {
	sid, secret, err := splitKey(apiKey)
	if err != nil {
		return nil, err
	}
	return &SMS{BaseURL: strings.TrimRight(baseURL, "/"), TemplateID: templateID, serviceID: sid, secret: secret,
		Client: &http.Client{Timeout: 30 * time.Second}, Now: time.Now}, nil
}

// smsRequest is the body of POST /v2/notifications/sms.
type smsRequest struct {
	PhoneNumber     string            `json:"phone_number"`
	TemplateID      string            `json:"template_id"`
	Personalisation map[string]string `json:"personalisation"`
	Reference       string            `json:"reference,omitempty"`
}

// smsBody is the text of m as an SMS: its words and its link.
func smsBody(m app.Message) string {
	body := m.Text
	if m.Link != "" {
		body += " " + m.Link
	}
	return body
}

// Send texts m to m.Phone. Notify's 4xx answers are not worth retrying
// unchanged, but the job's retries are bounded, so every failure is returned.
func (n *SMS) Send(ctx context.Context, m app.Message) error {
	if m.Phone == "" {
		return fmt.Errorf("sms: no phone number")
	}
	body, err := json.Marshal(smsRequest{PhoneNumber: m.Phone, TemplateID: n.TemplateID,
		Personalisation: map[string]string{"body": smsBody(m)}, Reference: m.Reference})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.BaseURL+"/v2/notifications/sms", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bearerToken(n.serviceID, n.secret, n.Now()))
	req.Header.Set("User-Agent", "copbank")
	resp, err := n.Client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return fmt.Errorf("notify: %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return nil
}
