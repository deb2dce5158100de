package plugin

import "syscall"

// dupOnto makes newfd a copy of oldfd. Linux on arm64 and riscv64 has no
// dup2, only dup3.
func dupOnto(oldfd, newfd int) error { return syscall.Dup3(oldfd, newfd, 0) }
