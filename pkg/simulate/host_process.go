package simulate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/pkg/plugin"
)

// process is one started plugin: its pipes, its process group, its exit.
//
// The host owns the pipes (os.Pipe) rather than letting os/exec copy them,
// so that Wait returns when the plugin exits even if a grandchild still
// holds the write ends; the host then kills the group and reads the pipes to
// their end itself.
type process struct {
	cmd   *exec.Cmd
	group *processGroup
	kill  context.CancelFunc // kills the group, through exec's Cancel
	start time.Time
	// marker is this start's BGTASK_HOST value (startMarker).
	marker string

	stdin  *os.File
	stdout *os.File
	stderr *os.File

	input stdinQueue

	exited  chan struct{} // closed when Wait has returned
	waitErr error
	end     time.Time

	// hostKilled: the host has killed the group (a time limit ran out, the
	// user stopped bgtask), so what is still in it is dying of that kill.
	hostKilled atomic.Bool
}

// startProcess starts p in its own process group.
func startProcess(p Plugin) (*process, error) {
	file, err := FindPlugin(p.Path)
	if err != nil {
		return nil, fmt.Errorf("starting plugin %w", err)
	}
	// Absolute, so that neither Dir nor a PATH search can change which file
	// runs.
	if isPath(file) {
		if file, err = filepath.Abs(file); err != nil {
			return nil, fmt.Errorf("starting plugin %s: %w", p.Path, err)
		}
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating the plugin's stdin pipe: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		closeAll(inR, inW)
		return nil, fmt.Errorf("creating the plugin's stdout pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		closeAll(inR, inW, outR, outW)
		return nil, fmt.Errorf("creating the plugin's stderr pipe: %w", err)
	}

	ctx, kill := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, file, p.Args...)
	cmd.Dir = p.Dir
	marker := startMarker()
	cmd.Env = append(append(os.Environ(), p.Env...), hostMarkerEnv+"="+marker)
	pluginsStarted.Store(true)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, errW
	prepareGroup(cmd)
	pr := &process{cmd: cmd, kill: kill, stdin: inW, stdout: outR, stderr: errR, marker: marker,
		input: stdinQueue{q: make(chan plugin.Message, 4)}, exited: make(chan struct{})}
	// The group, not just the plugin: children must not outlive it.
	cmd.Cancel = func() error {
		pr.hostKilled.Store(true)
		if pr.group == nil {
			return cmd.Process.Kill()
		}
		_, err := pr.group.kill()
		return err
	}
	// Should the group kill not end the plugin, exec kills the process itself.
	cmd.WaitDelay = time.Second

	pr.start = time.Now()
	err = startChild(cmd)
	closeAll(inR, outW, errW) // the child has its copies
	if err != nil {
		kill()
		closeAll(inW, outR, errR)
		return nil, fmt.Errorf("starting plugin %s: %w (%s)", p.Path, err, startHint(file, err))
	}
	group, err := attachGroup(cmd)
	if err != nil {
		// A plugin bgtask cannot contain must not run: its children could
		// outlive it (and on Windows it is still suspended).
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		childWaited(cmd.Process.Pid)
		kill()
		closeAll(inW, outR, errR)
		return nil, fmt.Errorf("starting plugin %s: %w", p.Path, err)
	}
	pr.group = group
	go func() {
		awaitExit(cmd.Process.Pid)
		pr.waitErr = cmd.Wait()
		pr.end = time.Now()
		close(pr.exited)
		childWaited(cmd.Process.Pid)
	}()
	go pr.input.writeLoop(pr.stdin)
	return pr, nil
}

// startHint says what to do about a plugin that cannot be started. The
// system's error alone misleads: a folder fails with "permission denied"
// (not a mode to chmod), and a script whose #! line names a missing
// interpreter with "no such file" (the script is there), so it looks at path.
// FindPlugin has checked path already; this is what only starting it shows.
func startHint(path string, err error) string {
	info, statErr := os.Stat(path)
	switch {
	case statErr == nil && info.IsDir():
		return "it is a folder: give the plugin's executable file in it, such as what go build writes for a Go plugin"
	case errors.Is(err, fs.ErrNotExist) && statErr == nil:
		if interp := shebangInterpreter(path); interp != "" {
			return fmt.Sprintf("the file is there, but its first line (#!) names the interpreter %s, which does not exist: fix that line, or name an interpreter that exists as the plugin", interp)
		}
		return "the file is there, but the system cannot find what it needs to run it (a #! interpreter or a dynamic loader): was it built for another system?"
	case errors.Is(err, fs.ErrNotExist):
		return "check the path"
	case errors.Is(err, fs.ErrPermission) && statErr == nil && info.Mode()&0o111 == 0:
		return "the file must be executable: chmod +x it, or name its interpreter as the plugin"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied although the file is executable: check the permissions of its folders, or whether its file system is mounted noexec"
	}
	return "a plugin must be an executable program"
}

// shebangInterpreter is the interpreter a script's "#!" line names, quoted
// for a message; "" when the file does not start with "#!".
func shebangInterpreter(path string) string {
	f, _, err := fsutil.OpenRegular(path) // never waits on a FIFO
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := io.ReadFull(f, head)
	line, ok := bytes.CutPrefix(head[:n], []byte("#!"))
	if !ok {
		return ""
	}
	line, _, _ = bytes.Cut(line, []byte("\n"))
	fields := strings.Fields(string(line))
	if len(fields) == 0 {
		return ""
	}
	return strconv.Quote(fields[0])
}

func closeAll(files ...*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// stdinQueue feeds the plugin's stdin from its own goroutine, so that a
// plugin that stops reading cannot stall the host.
type stdinQueue struct {
	mu     sync.Mutex
	closed bool
	q      chan plugin.Message
}

// send queues m; after close it does nothing.
func (s *stdinQueue) send(m plugin.Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	select {
	case s.q <- m:
	default:
		// The queue only fills when the plugin reads nothing; it is being
		// timed out already and one more message would change nothing.
	}
}

// close tells the plugin the host is done with it, after queued messages.
func (s *stdinQueue) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.q)
	}
}

func (s *stdinQueue) writeLoop(stdin *os.File) {
	enc := plugin.NewEncoder(stdin)
	for m := range s.q {
		if enc.Send(m) != nil {
			break // the plugin is gone or closed its stdin; the exit tells the rest
		}
	}
	stdin.Close()
	for range s.q { // keep draining so that close never waits on a full queue
	}
}

// killGroup kills everything in the plugin's process group. It reports
// whether anything was still there.
func (pr *process) killGroup() bool {
	if pr.group == nil {
		select {
		case <-pr.exited:
			return false
		default:
			_ = pr.cmd.Process.Kill()
			return true
		}
	}
	alive, _ := pr.group.kill()
	// Members the host's own kill has not finished off yet (SIGKILL lands
	// asynchronously) were not left behind by the plugin.
	return alive && !pr.hostKilled.Load()
}

// cleanup runs once the plugin has exited: it kills what is left of its
// group and releases the group.
func (pr *process) cleanup() (groupLeftover bool, escaped []int) {
	groupLeftover = pr.killGroup()
	// What left the group ends with the instance too, as a Job Object's
	// processes do on Windows. It used to live on until bgtask exited,
	// holding the plugin's pipes (the drain waited out its timeouts for
	// it) and, under serve, gathering for as long as serve ran.
	escaped = endEscapedOf(pr.marker)
	pr.kill()
	if pr.group != nil {
		pr.group.close()
	}
	pr.input.close()
	// The plugin is gone, so nothing queued for it matters any more. A child
	// that left its group on purpose may still hold stdin without reading it;
	// closing our end unblocks a write stuck on a full pipe, which would
	// otherwise keep its goroutine and the pipe alive for as long as that
	// child lives. On Windows Close waits for a pending write it could not
	// cancel, so it runs on its own: the host must not hang on it.
	go pr.stdin.Close()
	return groupLeftover, escaped
}

// exitInfo reads the exit status and CPU times once the plugin has exited.
func (pr *process) exitInfo(res *Result) {
	res.WallTime = pr.end.Sub(pr.start)
	st := pr.cmd.ProcessState
	if st == nil {
		res.ExitCode = -1
		if pr.waitErr != nil {
			res.ExitStatus = pr.waitErr.Error()
		}
		return
	}
	res.ExitCode = st.ExitCode()
	res.ExitStatus = st.String()
	res.UserTime = st.UserTime()
	res.SystemTime = st.SystemTime()
}

// readMessages delivers the plugin's stdout messages until end of file or a
// framing error, then stops. stop ends it early.
func readMessages(pr *process, out chan<- readResult, stop <-chan struct{}) {
	dec := plugin.NewDecoder(pr.stdout, plugin.MaxLineBytes)
	for {
		m, err := dec.Next()
		select {
		case out <- readResult{msg: m, err: err}:
		case <-stop:
			return
		}
		if err != nil && !errors.Is(err, plugin.ErrMalformed) && !errors.Is(err, plugin.ErrUnknownType) {
			return
		}
	}
}

type readResult struct {
	msg plugin.Message
	err error
}

// drainReaders waits for the readers of stdout and stderr once the plugin
// and its group are gone. If something outside the group still holds the
// pipes, it closes them; if even that does not end the readers (a blocking
// pipe on Windows), it stops waiting: the host must not hang.
// A receive from forced (the user asked a second time) ends both waits.
func drainReaders(pr *process, readers *sync.WaitGroup, forced <-chan struct{}) {
	done := make(chan struct{})
	go func() { readers.Wait(); close(done) }()
	select {
	case <-done:
		closeAll(pr.stdout, pr.stderr)
		return
	case <-time.After(drainTimeout):
	case <-forced:
	}
	go closeAll(pr.stdout, pr.stderr)
	select {
	case <-done:
	case <-time.After(drainTimeout):
	case <-forced:
	}
}
