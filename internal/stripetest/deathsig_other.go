//go:build !linux

package stripetest

import "os/exec"

// setDeathSignal does nothing where there is no parent-death signal; Stop
// stops stripe-mock.
func setDeathSignal(cmd *exec.Cmd) {}
