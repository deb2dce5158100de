package simulate

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"
)

// clockTick is USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on
// every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// cpuTime is the CPU time the running plugin process has used so far
// (user + system, /proc/PID/stat fields 14 and 15), with that of the
// processes it started and has waited for once they ended (fields 16 and
// 17): a shell script's work is all done by its commands. Processes still
// running are not counted until then: /proc has no cheap total for a
// process group, where Windows' job accounting covers them all
// (docs/push.md says so).
func (pr *process) cpuTime() (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pr.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces and parentheses; the
	// fields after it start past its last ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, fmt.Errorf("unexpected /proc stat line %q", data)
	}
	fields := bytes.Fields(data[i+1:])
	// fields[0] is field 3 (state); utime, stime, cutime and cstime are
	// fields 14 to 17.
	if len(fields) < 15 {
		return 0, fmt.Errorf("unexpected /proc stat line %q", data)
	}
	var ticks uint64
	for _, f := range fields[11:15] {
		n, err := strconv.ParseUint(string(f), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unexpected /proc stat line %q", data)
		}
		ticks += n
	}
	return time.Duration(ticks) * clockTick, nil
}
