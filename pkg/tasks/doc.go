// Package tasks is bgtask's simulated BackgroundTaskRegistration.AllTasks:
// registrations (name, entry point, trigger, conditions, plugin), the rules
// Windows applies when BackgroundTaskBuilder.Register is called, and the
// registry file that keeps them between runs.
//
// Decisions a reader of the registry should know (docs/registry.md has the
// full story and the Windows sources):
//
//   - Registrations are kept sorted by name in the file, so two people
//     registering in a different order get the same bytes and diffs stay small.
//   - A TaskId is generated once, when a name is first registered, and kept
//     while the registration is unchanged. --replace gives a new TaskId,
//     because on Windows the only way to change a registration is Unregister
//     then Register, and the system hands out a new Guid.
//   - application and maintenance triggers require a "general" task
//     declaration. windows-facts.md §3 marks this "not confirmed" (Microsoft's
//     own sample registers an ApplicationTrigger against systemEvent/timer);
//     the issue asks for it, and refusing is the safer side: a task that
//     registers here but might not activate on a device is the bug bgtask is
//     meant to catch. The mapping lives in one function, RequiredTaskType.
//   - A registry file that does not exist is an empty registry; reading never
//     creates it. A file that cannot be read back exactly (bad JSON, unknown
//     fields, a newer format version) is reported and never rewritten.
//
// The package imports pkg/manifest only for its Declaration type; it never
// reads a manifest itself, so callers decide where declarations come from.
package tasks
