// Package wns is a local stand-in for the Windows Push Notification Services
// that app servers talk to, as Mailpit stands in for an SMTP server: a
// login.live.com-style token endpoint, channel URIs kept in the app's state
// folder, the WNS request and response rules and status codes for raw
// notifications, a simulated device (online or offline, with the raw cache
// policy), TLS with a local certificate authority, and a bounded queue that
// hands accepted notifications to a Deliverer (the push broker of
// pkg/simulate) without making the HTTP client wait for the task.
//
// Decisions a reader should know (docs/serve.md has the user's view):
//
//   - Rules are checked in a fixed order, so one request gets one answer:
//     method (405), access token (401), channel (404), the token's app
//     (403), channel expiry (410), headers (400), size (413, 400 for an
//     empty body), throttling (406), the delivery queue (503).
//   - A payload of exactly 5000 bytes is accepted: WNS documents 413 as
//     "exceeds the 5000 byte size limit" and whether 5000 itself passes is
//     not documented.
//   - Tokens are signed, not stored: a restarted serve still accepts the
//     tokens it issued, and a client sending random tokens costs no memory.
//   - Raw notifications to an offline device are answered 200 with
//     X-WNS-Status: dropped, unless X-WNS-Cache-Policy is cache; then the
//     newest one per channel is kept until the device is online or its
//     X-WNS-TTL passes.
package wns
