package wns

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStoreInitKeepsCredentials(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), ".bgtask")}
	a, err := s.Init(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.ClientID, "ms-app://s-1-15-2-") || a.ClientSecret == "" || len(a.TokenKey) != 32 {
		t.Fatalf("credentials %q %q key %d bytes", a.ClientID, a.ClientSecret, len(a.TokenKey))
	}
	b, err := s.Init(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if a.ClientID != b.ClientID || a.ClientSecret != b.ClientSecret {
		t.Error("a second Init made new credentials")
	}
	if runtime.GOOS != "windows" {
		info, _ := os.Stat(s.Path())
		if info.Mode().Perm() != 0o600 {
			t.Errorf("state file mode %v, want 0600: it holds the client secret", info.Mode().Perm())
		}
	}
}

// Parallel `channel new` calls lose no channel.
func TestStoreParallelNewChannels(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := s.NewChannel(context.Background(), "", time.Hour, time.Now()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	st, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Channels) != 8 {
		t.Errorf("%d channels after 8 parallel creations", len(st.Channels))
	}
}

func TestStoreCorruptIsReportedNotReplaced(t *testing.T) {
	for name, content := range map[string]string{
		"not json":       "{",
		"unknown field":  `{"version":1,"extra":true}`,
		"newer version":  `{"version":2}`,
		"trailing data":  `{"version":1} {}`,
		"bad token":      `{"version":1,"clientId":"a","clientSecret":"b","tokenKey":"` + strings.Repeat("A", 44) + `","channels":[{"token":"a b","clientId":"a"}]}`,
		"secretless app": `{"version":1,"clientId":"a"}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := Store{Dir: t.TempDir()}
			if err := os.WriteFile(s.Path(), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Init(context.Background())
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Init: %v, want ErrCorrupt", err)
			}
			if _, err := s.NewChannel(context.Background(), "", time.Hour, time.Now()); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("NewChannel: %v, want ErrCorrupt", err)
			}
			if got, _ := os.ReadFile(s.Path()); string(got) != content {
				t.Error("the corrupt file was rewritten")
			}
		})
	}
}

func TestStorePrunesOldestExpired(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	now := time.Now()
	first, _ := s.NewChannel(context.Background(), "", time.Second, now)
	// Fill the file in one write; a thousand NewChannel calls would each sync.
	if _, err := s.update(context.Background(), func(st *State) (bool, error) {
		for range maxChannels - 1 {
			st.Channels = append(st.Channels, Channel{Token: randomString(32), ClientID: st.ClientID, Created: now, Expires: now.Add(time.Hour)})
		}
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NewChannel(context.Background(), "", time.Hour, now); err != nil {
		t.Fatal(err)
	}
	st, _ := s.Load()
	if len(st.Channels) != maxChannels {
		t.Fatalf("%d channels kept, want %d", len(st.Channels), maxChannels)
	}
	if _, ok := st.Find(first.Token); ok {
		t.Error("the channel that expired first was kept")
	}
}

// The local CA is made once; the server certificate it signs verifies for
// the loopback names and the service names real clients hard-code
// (login.live.com, *.notify.windows.com), and for nothing else.
func TestCAAndServerCertificate(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	ca, err := s.CA(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.CA(context.Background())
	if err != nil || !again.cert.Equal(ca.cert) {
		t.Fatalf("a second CA call made a new authority (%v)", err)
	}
	cert, err := ca.ServerCertificate("devbox.local")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })}
	go func() { _ = srv.Serve(tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})) }()
	defer srv.Close()
	for _, name := range []string{"localhost", "127.0.0.1", "::1", "login.live.com", "db5p.notify.windows.com", "notify.windows.com", "devbox.local", "evil.example", "a.b.notify.windows.com"} {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool(), ServerName: strings.Trim(name, "[]")}}}
		resp, err := client.Get("https://" + ln.Addr().String())
		if resp != nil {
			resp.Body.Close()
		}
		wantOK := name != "evil.example" && name != "a.b.notify.windows.com"
		if (err == nil) != wantOK {
			t.Errorf("TLS to %s: %v, want ok=%v", name, err, wantOK)
		}
	}
	// A client trusting only the system roots refuses it: the CA is local.
	resp, err := http.Get("https://" + ln.Addr().String())
	if resp != nil {
		resp.Body.Close()
	}
	var uerr x509.UnknownAuthorityError
	if !errors.As(err, &uerr) {
		t.Errorf("system roots trusted the local CA: %v", err)
	}
}

func TestTokensAreBoundToKeyClientAndTime(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	now := time.Now()
	tok := issueToken(key, "ms-app://s-1-15-2-1", now.Add(time.Minute))
	if id, err := verifyToken(key, tok, now); err != nil || id != "ms-app://s-1-15-2-1" {
		t.Fatalf("verify: %q %v", id, err)
	}
	if _, err := verifyToken([]byte(strings.Repeat("x", 32)), tok, now); !errors.Is(err, errTokenInvalid) {
		t.Errorf("another key: %v", err)
	}
	if _, err := verifyToken(key, tok, now.Add(time.Minute)); !errors.Is(err, errTokenExpired) {
		t.Errorf("at expiry: %v", err)
	}
	// A token issued to an empty client id is still a token (8 bytes of
	// expiry and nothing after them).
	if id, err := verifyToken(key, issueToken(key, "", now.Add(time.Minute)), now); err != nil || id != "" {
		t.Errorf("empty client id: %q %v", id, err)
	}
	// Tokens are at most 1,024 characters, checked before any decoding: a
	// client id of 727 bytes makes a token of exactly that length, one byte
	// more makes it longer, and it is refused though its MAC is right.
	long := issueToken(key, strings.Repeat("c", 727), now.Add(time.Minute))
	longer := issueToken(key, strings.Repeat("c", 728), now.Add(time.Minute))
	if len(long) != 1024 || len(longer) <= 1024 {
		t.Fatalf("token lengths %d and %d; the test needs 1024 and more", len(long), len(longer))
	}
	if _, err := verifyToken(key, long, now); err != nil {
		t.Errorf("a 1024-character token: %v", err)
	}
	if _, err := verifyToken(key, longer, now); !errors.Is(err, errTokenInvalid) {
		t.Errorf("a %d-character token: %v", len(longer), err)
	}
	// Base64 decoding stops at a byte outside its alphabet and returns what
	// it decoded before it, which is a valid token's payload or MAC when the
	// byte is appended: the error must refuse the token, not the MAC check.
	p, m, _ := strings.Cut(tok, ".")
	for _, bad := range []string{p + "!." + m, p + "." + m + "!", p + "*." + m + "*"} {
		if _, err := verifyToken(key, bad, now); !errors.Is(err, errTokenInvalid) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	// A valid token with a CR or LF inserted is another spelling of it, and
	// refused: base64 decoding skips both (FuzzVerifyToken found it).
	for _, bad := range []string{"", ".", "a.b", tok + "x", strings.Repeat("A", 5000) + "." + "B",
		tok[:5] + "\r" + tok[5:], tok[:len(tok)-2] + "\n" + tok[len(tok)-2:], tok + "\r\n"} {
		if _, err := verifyToken(key, bad, now); err == nil {
			t.Errorf("%q verified", bad)
		}
	}
}

// Only tokens this key issued verify, in their one canonical spelling.
func FuzzVerifyToken(f *testing.F) {
	key := []byte(strings.Repeat("k", 32))
	valid := issueToken(key, "ms-app://s-1-15-2-1", time.Unix(2e9, 0))
	f.Add(valid)
	f.Add(valid[:len(valid)-1] + "B")
	f.Add("AAAAAAAAAAA.BBBB")
	f.Fuzz(func(t *testing.T, tok string) {
		id, err := verifyToken(key, tok, time.Unix(1e9, 0))
		if err != nil {
			return
		}
		p, _, _ := strings.Cut(tok, ".")
		payload, _ := base64.RawURLEncoding.DecodeString(p)
		exp := time.Unix(int64(binary.BigEndian.Uint64(payload)), 0)
		if issueToken(key, id, exp) != tok {
			t.Fatalf("accepted %q, which this key never issued", tok)
		}
	})
}

// Whatever headers a client sends, checkHeaders answers without panicking,
// and a refusal's description is printable ASCII (it goes into a header and
// a log line).
func FuzzCheckHeaders(f *testing.F) {
	f.Add("wns/raw", "application/octet-stream", "cache", "true", "60", "1", "")
	f.Add("wns/toast", "text/xml", "x", "maybe", "-1", "9", "tag")
	f.Add("", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, typ, ct, cache, status, ttl, prio, tag string) {
		h := http.Header{}
		for k, v := range map[string]string{"X-WNS-Type": typ, "Content-Type": ct, "X-WNS-Cache-Policy": cache, "X-WNS-RequestForStatus": status, "X-WNS-TTL": ttl, "X-WNS-PRIORITY": prio, "X-WNS-Tag": tag} {
			if v != "" {
				h.Set(k, v)
			}
		}
		opts, werr := checkHeaders(h)
		if werr == nil {
			if opts.priority < 1 || opts.priority > 4 || opts.ttl < 0 {
				t.Fatalf("accepted priority %d ttl %v", opts.priority, opts.ttl)
			}
			return
		}
		if werr.status != http.StatusBadRequest || strings.ContainsFunc(werr.description, func(r rune) bool { return r < 0x20 || r > 0x7e && r != '…' }) {
			t.Fatalf("refusal %d %q", werr.status, werr.description)
		}
	})
}
