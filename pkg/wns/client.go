package wns

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client sends raw notifications as an app server does: a token from the
// token endpoint for its client credentials, then a POST to the channel URI
// (windows-facts.md §6). `bgtask push --to` uses it against a running serve.
type Client struct {
	HTTP                   *http.Client
	ClientID, ClientSecret string
}

// NewClient returns a client that trusts the system's roots and, when ca is
// given, the local CA (so it reaches serve over HTTPS).
func NewClient(ca *CA, clientID, clientSecret string) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if ca != nil {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		pool.AddCert(ca.cert)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &Client{HTTP: &http.Client{Transport: tr, Timeout: 30 * time.Second}, ClientID: clientID, ClientSecret: clientSecret}
}

// SendResult is the server's answer to a send.
type SendResult struct {
	Status             int
	NotificationStatus string // X-WNS-Status (or X-WNS-NotificationStatus)
	MsgID              string
	DeviceStatus       string // X-WNS-DeviceConnectionStatus, when asked for
	ErrorDescription   string
	RetryAfter         string
}

// TokenURL is the token endpoint on the server of channelURI: serve answers
// both on one address.
func TokenURL(channelURI string) (string, error) {
	u, err := url.Parse(channelURI)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !u.Query().Has("token") {
		return "", fmt.Errorf("%s is not a channel URI (scheme://host[:port]/?token=…)", quote(channelURI))
	}
	return u.Scheme + "://" + u.Host + TokenPath, nil
}

// Token gets an access token from tokenURL.
func (c *Client) Token(ctx context.Context, tokenURL string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ClientID}, "client_secret": {c.ClientSecret}, "scope": {Scope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", fmt.Errorf("getting a token from %s: %w", tokenURL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var tr tokenResponse
	var te tokenError
	if resp.StatusCode != http.StatusOK {
		_ = json.Unmarshal(body, &te)
		return "", fmt.Errorf("getting a token from %s: %d %s: %s", tokenURL, resp.StatusCode, quote(te.Error), quote(te.Description))
	}
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		return "", fmt.Errorf("getting a token from %s: the answer has no access_token", tokenURL)
	}
	return tr.AccessToken, nil
}

// SendRaw gets a token and POSTs payload to channelURI as a raw
// notification, with headers added (X-WNS-Cache-Policy, X-WNS-TTL, ...).
func (c *Client) SendRaw(ctx context.Context, channelURI string, payload []byte, headers map[string]string) (SendResult, error) {
	tokenURL, err := TokenURL(channelURI)
	if err != nil {
		return SendResult{}, err
	}
	token, err := c.Token(ctx, tokenURL)
	if err != nil {
		return SendResult{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, channelURI, strings.NewReader(string(payload)))
	if err != nil {
		return SendResult{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set(hdrType, "wns/raw")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return SendResult{}, fmt.Errorf("sending to %s: %w", channelURI, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	h := resp.Header
	res := SendResult{
		Status:             resp.StatusCode,
		NotificationStatus: h.Get(hdrStatus),
		MsgID:              h.Get(hdrMsgID),
		DeviceStatus:       h.Get(hdrDeviceStatus),
		ErrorDescription:   h.Get(hdrErrorDescription),
		RetryAfter:         h.Get("Retry-After"),
	}
	if res.NotificationStatus == "" {
		res.NotificationStatus = h.Get(hdrNotificationStatus)
	}
	return res, nil
}
