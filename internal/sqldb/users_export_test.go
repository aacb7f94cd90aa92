package sqldb

// CountUserQueries makes us call count for every query its author
// histories run.
func CountUserQueries(us *UserService, count func()) { us.onQuery = count }
