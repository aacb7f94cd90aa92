//go:build !linux

package mailtest

import "os/exec"

// setDeathSignal does nothing where there is no parent-death signal; Stop
// stops mailpit.
func setDeathSignal(cmd *exec.Cmd) {}
