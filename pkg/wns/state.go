package wns

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bgtask/bgtask/internal/fsutil"
)

// StateFile is the file, in the app's state folder (the folder of its task
// registry, .bgtask/), that keeps the simulated app's WNS credentials, the
// key that signs its access tokens, and its channels.
const StateFile = "wns.json"

// stateVersion is the format version of StateFile.
const stateVersion = 1

// DefaultChannelLifetime is how long a new channel lives: WNS channels
// currently expire after 30 days (windows-facts.md §6, "Channel").
const DefaultChannelLifetime = 30 * 24 * time.Hour

// maxChannels bounds the state file; channels expired longest ago go first.
const maxChannels = 1000

// ErrCorrupt matches errors about a state file that cannot be read back.
var ErrCorrupt = errors.New("corrupt WNS state file")

// State is the content of StateFile.
type State struct {
	Version int `json:"version"`
	// ClientID and ClientSecret are the credentials an app server presents
	// to the token endpoint: the Package SID and the secret that Partner
	// Center would show.
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	// TokenKey signs access tokens (HMAC-SHA256).
	TokenKey []byte `json:"tokenKey"`
	// Channels are sorted by creation time, oldest first.
	Channels []Channel `json:"channels"`
}

// Channel is one channel URI handed to the simulated app, as
// PushNotificationChannelManager.CreatePushNotificationChannelForApplicationAsync
// returns one.
type Channel struct {
	// Token is the opaque part of the URI (…/?token=Token); it identifies
	// the channel.
	Token string `json:"token"`
	// ClientID is the app the channel belongs to: only its tokens may send
	// to it (403 otherwise).
	ClientID string    `json:"clientId"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
}

// Expired reports whether the channel has expired at now.
func (c Channel) Expired(now time.Time) bool { return !now.Before(c.Expires) }

// URI is the channel URI on the server at base (scheme://host[:port]).
func (c Channel) URI(base string) string {
	return strings.TrimSuffix(base, "/") + "/?token=" + c.Token
}

// Store reads and changes the state file of one state folder. Every change
// is made under the folder's lock and written atomically, so `bgtask channel
// new` and a running serve can share the file.
type Store struct {
	Dir string
}

// Path is the state file.
func (s Store) Path() string { return filepath.Join(s.Dir, StateFile) }

// Load reads the state file. A missing file is an empty state (no
// credentials, no channels) and is not created.
func (s Store) Load() (*State, error) {
	data, err := fsutil.ReadRegular(s.Path(), maxStateBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return &State{Version: stateVersion}, nil
	}
	var notRegular *fsutil.NotRegularError
	if errors.As(err, &notRegular) {
		// Bad input, as a corrupt file is: nothing is read from it or
		// written over it.
		return nil, fmt.Errorf("%w: %s is %s; bgtask keeps its WNS state there: move it away", ErrCorrupt, s.Path(), fsutil.DescribeNotRegular(notRegular.Mode))
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", s.Path(), err)
	}
	return decodeState(s.Path(), data)
}

// maxStateBytes bounds what Load reads into memory; maxChannels channels
// take well under it.
const maxStateBytes = 4 << 20

func decodeState(path string, data []byte) (*State, error) {
	if len(data) > maxStateBytes {
		return nil, fmt.Errorf("%w %s: larger than %d bytes", ErrCorrupt, path, maxStateBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var st State
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("%w %s: %v; delete it to start over (new credentials, no channels)", ErrCorrupt, path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w %s: data after the JSON object", ErrCorrupt, path)
	}
	if st.Version != stateVersion {
		return nil, fmt.Errorf("%w %s: format version %d, this bgtask reads version %d", ErrCorrupt, path, st.Version, stateVersion)
	}
	if st.ClientID != "" && (st.ClientSecret == "" || len(st.TokenKey) < 32) {
		return nil, fmt.Errorf("%w %s: credentials without a secret or token key", ErrCorrupt, path)
	}
	for i, c := range st.Channels {
		if !validToken(c.Token) || c.ClientID == "" {
			return nil, fmt.Errorf("%w %s: channel %d has no valid token or client id", ErrCorrupt, path, i)
		}
	}
	return &st, nil
}

// Init returns the state, creating credentials and a token key on first use.
func (s Store) Init(ctx context.Context) (*State, error) {
	return s.update(ctx, func(st *State) (bool, error) {
		if st.ClientID != "" {
			return false, nil
		}
		initCredentials(st)
		return true, nil
	})
}

// NewChannel creates a channel for clientID (the state's own app when
// empty) that expires lifetime after now, and saves it.
func (s Store) NewChannel(ctx context.Context, clientID string, lifetime time.Duration, now time.Time) (Channel, error) {
	if lifetime <= 0 {
		return Channel{}, fmt.Errorf("a channel lifetime must be positive, not %v", lifetime)
	}
	var ch Channel
	_, err := s.update(ctx, func(st *State) (bool, error) {
		if st.ClientID == "" {
			initCredentials(st)
		}
		if clientID == "" {
			clientID = st.ClientID
		}
		now = now.UTC().Truncate(time.Second)
		ch = Channel{Token: randomString(32), ClientID: clientID, Created: now, Expires: now.Add(lifetime)}
		st.Channels = append(st.Channels, ch)
		pruneChannels(st)
		return true, nil
	})
	return ch, err
}

func initCredentials(st *State) {
	st.ClientID = randomSID()
	st.ClientSecret = randomString(24)
	st.TokenKey = randomBytes(32)
}

// pruneChannels keeps the file bounded: past maxChannels, the channels that
// expired first are dropped.
func pruneChannels(st *State) {
	if len(st.Channels) <= maxChannels {
		return
	}
	byExpiry := slices.Clone(st.Channels)
	slices.SortStableFunc(byExpiry, func(a, b Channel) int { return a.Expires.Compare(b.Expires) })
	drop := map[string]bool{}
	for _, c := range byExpiry[:len(st.Channels)-maxChannels] {
		drop[c.Token] = true
	}
	st.Channels = slices.DeleteFunc(st.Channels, func(c Channel) bool { return drop[c.Token] })
}

// update runs change on the state under the folder's lock and writes the
// result when change reports a modification.
func (s Store) update(ctx context.Context, change func(*State) (bool, error)) (*State, error) {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating state folder: %w", err)
	}
	unlock, err := fsutil.Lock(ctx, fsutil.SiblingLockPath(s.Path()))
	if err != nil {
		return nil, fmt.Errorf("%s is in use by another bgtask: %w", s.Path(), err)
	}
	defer func() { _ = unlock() }()
	if err := fsutil.RemoveStaleTemps(s.Path()); err != nil {
		return nil, err
	}
	st, err := s.Load()
	if err != nil {
		return nil, err
	}
	changed, err := change(st)
	if err != nil || !changed {
		return st, err
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, err
	}
	// The file holds the client secret and the token key: owner only.
	if err := fsutil.WriteFile(s.Path(), append(data, '\n'), 0o600); err != nil {
		return nil, err
	}
	return st, nil
}

// Find returns the channel with token.
func (st *State) Find(token string) (Channel, bool) {
	for _, c := range st.Channels {
		if c.Token == token {
			return c, true
		}
	}
	return Channel{}, false
}

// Current returns the newest channel of clientID that has not expired at now.
func (st *State) Current(clientID string, now time.Time) (Channel, bool) {
	for i := len(st.Channels) - 1; i >= 0; i-- {
		c := st.Channels[i]
		if c.ClientID == clientID && !c.Expired(now) {
			return c, true
		}
	}
	return Channel{}, false
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return b
}

// randomString is n random bytes in URL-safe base64: safe in a query
// string, a header and a terminal.
func randomString(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }

// validToken: channel tokens are randomString's alphabet only, so a token
// taken from a request can be printed and put in a URI as it is.
func validToken(t string) bool {
	if t == "" || len(t) > 256 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// randomSID makes a Package SID of the form WNS client ids take
// (ms-app://s-1-15-2-…, seven 32-bit sub-authorities).
func randomSID() string {
	var b strings.Builder
	b.WriteString("ms-app://s-1-15-2")
	raw := randomBytes(28)
	for i := 0; i < 28; i += 4 {
		v := uint32(raw[i])<<24 | uint32(raw[i+1])<<16 | uint32(raw[i+2])<<8 | uint32(raw[i+3])
		fmt.Fprintf(&b, "-%d", v)
	}
	return b.String()
}
