package wns

import (
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxPayload is the largest raw payload WNS accepts: 413 is documented as
// "exceeds the 5000 byte size limit" (windows-facts.md §6, "Size").
const MaxPayload = 5000

// Header names of the WNS protocol (windows-facts.md §6).
const (
	hdrType               = "X-WNS-Type"
	hdrCachePolicy        = "X-WNS-Cache-Policy"
	hdrRequestForStatus   = "X-WNS-RequestForStatus"
	hdrTTL                = "X-WNS-TTL"
	hdrPriority           = "X-WNS-PRIORITY"
	hdrTag                = "X-WNS-Tag"
	hdrStatus             = "X-WNS-Status"
	hdrNotificationStatus = "X-WNS-NotificationStatus"
	hdrDeviceStatus       = "X-WNS-DeviceConnectionStatus"
	hdrMsgID              = "X-WNS-Msg-ID"
	hdrErrorDescription   = "X-WNS-Error-Description"
	hdrCV                 = "MS-CV"
)

// Values of X-WNS-Status (windows-facts.md §6, "Response headers").
const (
	StatusReceived         = "received"
	StatusDropped          = "dropped"
	StatusChannelThrottled = "channelthrottled"
)

// wnsError is a refusal: the HTTP status, the X-WNS-Error-Description,
// and for throttling the X-WNS-Status and Retry-After.
type wnsError struct {
	status             int
	description        string
	notificationStatus string
	retryAfter         time.Duration
}

func refuse(status int, format string, a ...any) *wnsError {
	return &wnsError{status: status, description: fmt.Sprintf(format, a...)}
}

// sendOptions are the optional headers of a raw notification, checked.
type sendOptions struct {
	cache            bool
	requestForStatus bool
	ttl              time.Duration
	hasTTL           bool
	priority         int
}

// notForRaw are headers WNS defines for other notification types: X-WNS-Tag
// for tiles, the rest for Windows Phone toasts (windows-facts.md §6, "Not
// for raw"). bgtask refuses them with 400 rather than ignore them, so an
// app server that sends them learns it is building the wrong request.
var notForRaw = []string{hdrTag, "X-WNS-Group", "X-WNS-Match", "X-WNS-SuppressPopup"}

// checkHeaders applies the header rules of a raw send (windows-facts.md
// §6, "Send"): 400 for a missing, bad or conflicting header.
func checkHeaders(h http.Header) (sendOptions, *wnsError) {
	var opts sendOptions
	// A header given twice conflicts with itself: which one would WNS use?
	for _, name := range []string{hdrType, "Content-Type", hdrCachePolicy, hdrRequestForStatus, hdrTTL, hdrPriority} {
		if len(h.Values(name)) > 1 {
			return opts, refuse(http.StatusBadRequest, "%s is given %d times", name, len(h.Values(name)))
		}
	}
	switch typ := h.Get(hdrType); typ {
	case "wns/raw":
	case "":
		return opts, refuse(http.StatusBadRequest, "%s is missing; a raw notification sends %s: wns/raw", hdrType, hdrType)
	case "wns/toast", "wns/tile", "wns/badge":
		return opts, refuse(http.StatusBadRequest, "%s %s: bgtask serve simulates raw notifications only (wns/raw)", hdrType, typ)
	default:
		return opts, refuse(http.StatusBadRequest, "%s %s is not a notification type (wns/raw, wns/toast, wns/tile, wns/badge)", hdrType, quote(typ))
	}
	ct := h.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/octet-stream" {
		if ct == "" {
			return opts, refuse(http.StatusBadRequest, "Content-Type is missing; a raw notification is sent as application/octet-stream")
		}
		return opts, refuse(http.StatusBadRequest, "Content-Type %s is wrong for wns/raw; send application/octet-stream", quote(ct))
	}
	for _, name := range notForRaw {
		if _, ok := h[http.CanonicalHeaderKey(name)]; ok {
			return opts, refuse(http.StatusBadRequest, "%s is not allowed on a raw notification", name)
		}
	}
	switch v := h.Get(hdrCachePolicy); strings.ToLower(v) {
	case "", "no-cache":
	case "cache":
		opts.cache = true
	default:
		return opts, refuse(http.StatusBadRequest, "%s %s: use cache or no-cache", hdrCachePolicy, quote(v))
	}
	switch v := h.Get(hdrRequestForStatus); strings.ToLower(v) {
	case "", "false":
	case "true":
		opts.requestForStatus = true
	default:
		return opts, refuse(http.StatusBadRequest, "%s %s: use true or false", hdrRequestForStatus, quote(v))
	}
	if v := h.Get(hdrTTL); v != "" {
		secs, err := strconv.ParseUint(v, 10, 31)
		if err != nil {
			return opts, refuse(http.StatusBadRequest, "%s %s: a whole number of seconds is expected", hdrTTL, quote(v))
		}
		opts.ttl, opts.hasTTL = time.Duration(secs)*time.Second, true
	}
	// Raw notifications default to priority 3 (windows-facts.md §6).
	opts.priority = 3
	if v := h.Get(hdrPriority); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 4 {
			return opts, refuse(http.StatusBadRequest, "%s %s: use 1 (high) to 4 (very low)", hdrPriority, quote(v))
		}
		opts.priority = p
	}
	return opts, nil
}

// checkLength applies the size rules before the body is read: a known
// length over MaxPayload is 413, an empty body or a body of unknown length
// (chunked: WNS requires Content-Length and no chunking) is 400.
func checkLength(contentLength int64) *wnsError {
	switch {
	case contentLength > MaxPayload:
		return refuse(http.StatusRequestEntityTooLarge, "the payload is %d bytes; the limit is %d", contentLength, MaxPayload)
	case contentLength == 0:
		return refuse(http.StatusBadRequest, "the payload is empty; a raw notification carries 1 to %d bytes", MaxPayload)
	case contentLength < 0:
		return refuse(http.StatusBadRequest, "Content-Length is missing; WNS takes no chunked bodies")
	}
	return nil
}

// quote shows a value from a client safely in a header, a log line or a
// terminal: quoted, with everything but printable ASCII escaped, and cut.
func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return strconv.QuoteToASCII(s)
}

// correlationVector returns the MS-CV to echo: WNS echoes it, and bgtask
// does so only for values of the documented shape (base64 characters and
// dots, as in "Pq1yFh5/+0q4m3mjvA1xCg.0"), so nothing odd is reflected.
func correlationVector(h http.Header) string {
	v := h.Get(hdrCV)
	if v == "" || len(v) > 128 {
		return ""
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+/=.-_", r)) {
			return ""
		}
	}
	return v
}
