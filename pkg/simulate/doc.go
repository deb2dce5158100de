// Package simulate is bgtask's broker: it runs task instances the way
// Windows does. The plugin host (host*.go) starts a task plugin process per
// instance, speaks docs/protocol.md with it, and enforces the policy: a
// wall-clock limit, cancellation with a reason, a grace period, then killing
// the plugin's whole process group.
package simulate
