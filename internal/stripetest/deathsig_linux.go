package stripetest

import (
	"os/exec"
	"syscall"
)

// setDeathSignal makes the kernel stop stripe-mock when the test binary dies,
// even if Stop is never called.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
