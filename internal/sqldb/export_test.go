package sqldb

// MeterLockClass is meterLockClass, for tests that hold an account's
// meter lock.
const MeterLockClass = meterLockClass
