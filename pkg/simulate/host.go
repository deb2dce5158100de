package simulate

import (
	"io"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// Plugin is a task plugin executable and the arguments it is started with
// (most plugins need none; the bgtask binary serving as its own example
// plugin needs its hidden subcommand).
type Plugin struct {
	Path string
	Args []string
	// Dir is the working folder; empty means bgtask's own.
	Dir string
	// Env is added to bgtask's own environment ("NAME=value" entries).
	Env []string
}

// Policy is what the host enforces on one plugin process. A zero field means
// its default; the defaults follow Windows (windows-facts.md §4).
type Policy struct {
	// Timeout is the wall-clock limit from sending run; when it passes the
	// host cancels with ExecutionTimeExceeded. Default 30 s.
	Timeout time.Duration
	// Grace is how long the plugin has to exit after a cancel or after its
	// completion before its process group is killed. Default 5 s.
	Grace time.Duration
	// HandshakeTimeout bounds the wait for the plugin's first line (and, for
	// Describe, for its description). Default 10 s.
	HandshakeTimeout time.Duration
	// LogLines is how many stderr lines are shown through Observer.Log;
	// later ones are counted and dropped. Default 1000.
	LogLines int
	// LogTail is how many of the last stderr lines the Result keeps. Default 50.
	LogTail int
	// CPUQuota, when positive, is the CPU time a running instance may use
	// before the host cancels it with reason SystemPolicy (the Windows 8.1
	// lock-screen app quota; zero means none, as on Windows 10).
	CPUQuota time.Duration
}

// Policy defaults.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultGrace            = 5 * time.Second
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultLogLines         = 1000
	DefaultLogTail          = 50
	// maxLogLineBytes cuts stderr lines, as docs/protocol.md says.
	maxLogLineBytes = 4 << 10
	// drainTimeout bounds the wait for the plugin's pipes to reach end of
	// file once its process group is gone.
	drainTimeout = 2 * time.Second
)

func (p Policy) withDefaults() Policy {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&p.Timeout, DefaultTimeout)
	def(&p.Grace, DefaultGrace)
	def(&p.HandshakeTimeout, DefaultHandshakeTimeout)
	if p.LogLines <= 0 {
		p.LogLines = DefaultLogLines
	}
	if p.LogTail <= 0 {
		p.LogTail = DefaultLogTail
	}
	return p
}

// Invocation is one task instance to run: what Windows passes to
// IBackgroundTask.Run.
type Invocation struct {
	// InstanceID is generated when empty.
	InstanceID string
	// Registration.TaskID is generated when empty: docs/protocol.md promises
	// plugins a GUID, as Windows gives every registration one.
	Registration plugin.Registration
	Trigger      plugin.Trigger
	// Cancel, when not nil, cancels the running instance with the reason
	// received (ConditionLoss when a condition stops holding, say). Only the
	// first cancel of an instance counts, as on Windows.
	Cancel <-chan plugin.CancelReason
}

// Observer receives what happens while an instance runs. Either field may be
// nil. The host never calls them concurrently, so both may write to the same
// stream. They are called from a goroutine of their own, never from the one
// that keeps the instance's time: an observer that blocks (a stderr nobody
// reads) delays no timeout, cancel or kill. Calls it cannot keep up with are
// dropped and counted in Result.OutputDropped; none is made after
// RunInstance returns, except one already blocked in a Write.
type Observer struct {
	// Log gets each stderr line of the plugin, prefixed with the task's
	// name and escaped for a terminal (safetext), one Write per line.
	Log io.Writer
	// LogLine gets the same lines as the plugin wrote them, without the
	// prefix or escaping, for machine formats (serve's events); a line over
	// the limit ends in " [line cut]".
	LogLine func(line string)
	// Progress gets each progress report.
	Progress func(percent uint32)
	// Canceled and Killed are told when the host sends the cancel and when
	// it kills the plugin's processes, at the times the Result gives, so a
	// caller can show them before the instance ends.
	Canceled func(reason plugin.CancelReason, at time.Time)
	Killed   func(at time.Time)
}

// Outcome is how a task instance ended; see docs/protocol.md.
type Outcome string

const (
	OutcomeCompleted     Outcome = "completed"
	OutcomeFailed        Outcome = "failed"
	OutcomeCanceled      Outcome = "canceled"
	OutcomeTerminated    Outcome = "terminated"
	OutcomeProtocolError Outcome = "protocol-error"
	OutcomeNotStarted    Outcome = "not-started"
)

// Result is the report of one instance.
type Result struct {
	InstanceID string
	Outcome    Outcome
	// Error says what went wrong for any outcome but completed: the task's
	// error text, the protocol violation, why it did not start.
	Error string

	// Canceled is set when the host sent cancel, with CancelReason.
	Canceled     bool
	CancelReason plugin.CancelReason

	// CompletionReceived: the plugin sent its completion message (Outcome
	// alone cannot tell a reported failure from a crash).
	CompletionReceived bool

	Progress         uint32 // the last progress reported
	DeferralsTaken   int
	DeferralsPending int // taken and not completed when the instance ended

	// KilledAfterCompletion: the plugin reported completion but did not exit
	// within the grace period.
	KilledAfterCompletion bool
	// LeftoverKilled: processes the plugin started were still running after
	// it exited, in its group or out of it, and were killed.
	LeftoverKilled bool
	// EscapedKilled are the pids of those that had left its process group
	// (setsid, a daemon's double fork), found on Linux by the marker they
	// inherited; the group kill cannot reach them.
	EscapedKilled []int
	// groupLeftover: some were still in the group (for plugin check).
	groupLeftover bool

	PID int
	// Prestarted: the process was started before the instance began, while
	// the one before it ran (bgtask serve with notifications waiting); its
	// WallTime counts from when the instance took it, its CPU times include
	// its start, as a process started for the instance does.
	Prestarted bool
	ExitCode   int    // -1 when killed by a signal or not started
	ExitStatus string // as the OS says it: "exit status 3", "signal: killed"

	WallTime   time.Duration // process start (or hand-over, when Prestarted) to exit
	UserTime   time.Duration
	SystemTime time.Duration

	// When the instance's steps happened, for a timeline; zero for a step
	// that did not happen. The task's time limit counts from RunAt and the
	// grace period from CanceledAt or CompletedAt; a kill comes when that
	// grace period is over, or at once for a missing handshake, a protocol
	// error or a second Ctrl-C.
	RunAt       time.Time // the run message was sent
	CompletedAt time.Time // the plugin's completion message arrived
	CanceledAt  time.Time // the host sent cancel (CancelReason)
	KilledAt    time.Time // the host killed the plugin's process group

	// Log is the last Policy.LogTail lines of stderr; LogLinesDropped counts
	// lines not passed to Observer.Log.
	Log             []string
	LogLinesDropped int

	// CPUQuotaExceeded: the instance used more CPU time than Policy.CPUQuota.
	CPUQuotaExceeded bool
	// Warnings are problems that did not change the outcome but would bite
	// on Windows, first of all work that went on after the task completed
	// (a forgotten deferral); see docs/protocol.md "Warnings".
	Warnings []string
	// OutputDropped counts Observer calls (log lines, progress reports)
	// dropped because the observer did not keep up.
	OutputDropped int
}

// Done reports whether the instance completed successfully.
func (r *Result) Done() bool { return r.Outcome == OutcomeCompleted }
