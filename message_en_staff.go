package masthead

// Message IDs of the staff tools as a whole: access and the audit log.
const (
	MsgStaffForbidden MessageID = "staff.forbidden"
)

var englishStaff = map[MessageID]string{
	MsgStaffForbidden: "Your staff role does not include this.",
}
