-- The comments that reply to a comment, in any status (whether a comment
-- may still be edited: not once anyone has replied to it).
CREATE INDEX comments_reply_to ON comments (reply_to_id) WHERE reply_to_id IS NOT NULL;
