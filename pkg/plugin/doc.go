// Package plugin is what a background task author imports to make a bgtask
// task plugin: an executable that bgtask starts once per task instance, as
// Windows starts a background task host per activation.
//
//	func main() {
//		plugin.Serve(map[string]plugin.Task{
//			"Tasks.ExampleBackgroundTask": plugin.TaskFunc(run),
//		})
//	}
//
// Task, Instance, Deferral, RawNotification and CancelReason mirror Windows'
// IBackgroundTask, IBackgroundTaskInstance, BackgroundTaskDeferral,
// RawNotification and BackgroundTaskCancellationReason. The package also
// holds the wire messages of docs/protocol.md (Handshake, Run, Completion...)
// and their Decoder and Encoder, which the host in pkg/simulate shares.
//
// It uses the standard library only, so that a plugin's dependencies are its
// author's business.
package plugin
