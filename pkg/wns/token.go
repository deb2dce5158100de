package wns

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"time"
)

// TokenLifetime is how long an access token is valid: the expires_in of the
// token response in WNS's documentation (windows-facts.md §6, "Token").
const TokenLifetime = 24 * time.Hour

// A token is "<payload>.<mac>", both URL-safe base64: the payload is the
// expiry (8 bytes, Unix seconds, big-endian) then the client id; the mac is
// HMAC-SHA256 of the payload under the state's TokenKey.
var (
	errTokenInvalid = errors.New("invalid access token")
	errTokenExpired = errors.New("expired access token")
)

// issueToken returns a token for clientID that expires at expires.
func issueToken(key []byte, clientID string, expires time.Time) string {
	payload := make([]byte, 8, 8+len(clientID))
	binary.BigEndian.PutUint64(payload, uint64(expires.Unix()))
	payload = append(payload, clientID...)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(tokenMAC(key, payload))
}

// verifyToken returns the client id a token was issued to.
func verifyToken(key []byte, token string, now time.Time) (string, error) {
	p, m, ok := strings.Cut(token, ".")
	// One token has one spelling. encoding/base64 skips CR and LF even in
	// Strict mode, so a token with either inserted (a %0D in a query
	// string) decoded to the same bytes and verified (FuzzVerifyToken).
	if !ok || len(token) > 1024 || strings.ContainsAny(token, "\r\n") {
		return "", errTokenInvalid
	}
	// Strict: no stray bits in the last character.
	payload, err1 := base64.RawURLEncoding.Strict().DecodeString(p)
	mac, err2 := base64.RawURLEncoding.Strict().DecodeString(m)
	if err1 != nil || err2 != nil || len(payload) < 8 || !hmac.Equal(mac, tokenMAC(key, payload)) {
		return "", errTokenInvalid
	}
	if now.Unix() >= int64(binary.BigEndian.Uint64(payload)) {
		return "", errTokenExpired
	}
	return string(payload[8:]), nil
}

func tokenMAC(key, payload []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(payload)
	return h.Sum(nil)
}
