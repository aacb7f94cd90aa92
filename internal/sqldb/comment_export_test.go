package sqldb

// CountCommentQueries makes cs call count for every query FindComments
// runs, for tests that check a page's cost does not grow with the story.
func CountCommentQueries(cs *CommentService, count func()) { cs.onQuery = count }
