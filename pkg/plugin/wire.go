package plugin

// The wire messages of docs/protocol.md, shared by the SDK and the host
// (pkg/simulate). Their JSON member names are the protocol; renaming a tag
// is a protocol change.

// ProtocolVersion is the version this package speaks, sent in the handshake.
const ProtocolVersion = 1

// WarningPrefix starts a stderr line with which a plugin flags a problem of
// its own instance; the host reports the rest of the line among the
// instance's warnings (docs/protocol.md "Warnings").
const WarningPrefix = "bgtask-warning: "

// MaxLineBytes bounds one protocol line, not counting its terminator.
const MaxLineBytes = 1 << 20

// Message is one protocol message. Type is its "type" member.
type Message interface {
	Type() string
	// required lists the members that must be present on the wire.
	required() []string
	// validate checks the values the JSON types alone do not.
	validate() error
}

// Message type names, as on the wire.
const (
	TypeHandshake         = "handshake"
	TypeDescribe          = "describe"
	TypeDescription       = "description"
	TypeRun               = "run"
	TypeProgress          = "progress"
	TypeDeferralTaken     = "deferral_taken"
	TypeDeferralCompleted = "deferral_completed"
	TypeCancel            = "cancel"
	TypeCompletion        = "completion"
)

// newMessage returns an empty message of the named type, or nil for a type
// this version does not know.
func newMessage(typ string) Message {
	switch typ {
	case TypeHandshake:
		return &Handshake{}
	case TypeDescribe:
		return &Describe{}
	case TypeDescription:
		return &Description{}
	case TypeRun:
		return &Run{}
	case TypeProgress:
		return &Progress{}
	case TypeDeferralTaken:
		return &DeferralTaken{}
	case TypeDeferralCompleted:
		return &DeferralCompleted{}
	case TypeCancel:
		return &Cancel{}
	case TypeCompletion:
		return &Completion{}
	}
	return nil
}

// Handshake is the plugin's first line.
type Handshake struct {
	Protocol    int      `json:"protocol"`
	EntryPoints []string `json:"entry_points"`
	SDK         string   `json:"sdk,omitempty"`
}

// Describe asks the plugin for its entry points.
type Describe struct{}

// Description answers Describe.
type Description struct {
	EntryPoints []string `json:"entry_points"`
}

// Run starts one task instance.
type Run struct {
	InstanceID   string       `json:"instance_id"`
	Registration Registration `json:"registration"`
	Trigger      Trigger      `json:"trigger"`
}

// Registration is the BackgroundTaskRegistration that fired.
type Registration struct {
	Name       string `json:"name"`
	TaskID     string `json:"task_id"`
	EntryPoint string `json:"entry_point"`
}

// Trigger kinds defined by protocol version 1. Plugins accept any string.
const (
	TriggerPush        = "push"
	TriggerApplication = "application"
	TriggerTime        = "time"
	TriggerMaintenance = "maintenance"
	TriggerSystem      = "system"
)

// Trigger says what fired the instance. Push is set for TriggerPush only.
type Trigger struct {
	Kind string           `json:"kind"`
	Push *RawNotification `json:"push,omitempty"`
}

// RawNotification is Windows' RawNotification, what a push-triggered task
// finds in TriggerDetails. ChannelID and Headers are empty where Windows
// gives null (channels not created with an alternate key).
type RawNotification struct {
	Content      string            `json:"content"`
	ContentBytes []byte            `json:"content_bytes"`
	ChannelID    string            `json:"channel_id,omitempty"`
	Headers      map[string]string `json:"headers,omitempty"`
}

// Progress is IBackgroundTaskInstance.Progress being set.
type Progress struct {
	InstanceID string `json:"instance_id"`
	Percent    uint32 `json:"percent"`
}

// DeferralTaken reports GetDeferral.
type DeferralTaken struct {
	InstanceID string `json:"instance_id"`
	DeferralID uint64 `json:"deferral_id"`
}

// DeferralCompleted reports the first Complete of a deferral.
type DeferralCompleted struct {
	InstanceID string `json:"instance_id"`
	DeferralID uint64 `json:"deferral_id"`
}

// Cancel asks the instance to stop. Reason is a CancelReason name.
type Cancel struct {
	InstanceID string `json:"instance_id"`
	Reason     string `json:"reason"`
}

// Completion ends the instance.
type Completion struct {
	InstanceID string `json:"instance_id"`
	Success    bool   `json:"success"`
	Error      string `json:"error,omitempty"`
}

func (*Handshake) Type() string         { return TypeHandshake }
func (*Describe) Type() string          { return TypeDescribe }
func (*Description) Type() string       { return TypeDescription }
func (*Run) Type() string               { return TypeRun }
func (*Progress) Type() string          { return TypeProgress }
func (*DeferralTaken) Type() string     { return TypeDeferralTaken }
func (*DeferralCompleted) Type() string { return TypeDeferralCompleted }
func (*Cancel) Type() string            { return TypeCancel }
func (*Completion) Type() string        { return TypeCompletion }

func (*Handshake) required() []string         { return []string{"protocol", "entry_points"} }
func (*Describe) required() []string          { return nil }
func (*Description) required() []string       { return []string{"entry_points"} }
func (*Run) required() []string               { return []string{"instance_id", "registration", "trigger"} }
func (*Progress) required() []string          { return []string{"instance_id", "percent"} }
func (*DeferralTaken) required() []string     { return []string{"instance_id", "deferral_id"} }
func (*DeferralCompleted) required() []string { return []string{"instance_id", "deferral_id"} }
func (*Cancel) required() []string            { return []string{"instance_id", "reason"} }
func (*Completion) required() []string        { return []string{"instance_id", "success"} }
