package masthead

// Message IDs of the plan rules.
const (
	MsgPlanNameRequired       MessageID = "plan.name_required"
	MsgPlanNameTooLong        MessageID = "plan.name_too_long"
	MsgPlanDescriptionTooLong MessageID = "plan.description_too_long"
	MsgPlanTrialDaysInvalid   MessageID = "plan.trial_days_invalid"
	MsgPlanMeterInvalid       MessageID = "plan.meter_invalid"
	MsgPlanGiftLinksInvalid   MessageID = "plan.gift_links_invalid"
	MsgPlanFreeHasPrice       MessageID = "plan.free_has_price"
	MsgPlanIntervalInvalid    MessageID = "plan.interval_invalid"
	MsgPlanIntervalTwice      MessageID = "plan.interval_twice"
	MsgPlanAmountInvalid      MessageID = "plan.amount_invalid"
	MsgPlanCurrencyInvalid    MessageID = "plan.currency_invalid"
	MsgPlanCurrencyMixed      MessageID = "plan.currency_mixed"
	MsgPlanNotFound           MessageID = "plan.not_found"
	MsgPlanNotForSale         MessageID = "plan.not_for_sale"
	MsgPlanStripePriceTaken   MessageID = "plan.stripe_price_taken"
	MsgPlanFreeArchive        MessageID = "plan.free_archive"
	MsgSubscriptionNotFound   MessageID = "subscription.not_found"
	MsgSubscriptionPaid       MessageID = "subscription.paid"
	MsgNotComplimentary       MessageID = "subscription.not_complimentary"
	MsgCompUntilPast          MessageID = "subscription.comp_until_past"
	MsgGiftLinkNotFound       MessageID = "gift.not_found"
	MsgGiftLinkExpired        MessageID = "gift.expired"
	MsgGiftLinksSpent         MessageID = "gift.spent"
	MsgGiftLinksNotIncluded   MessageID = "gift.not_included"
	MsgGiftStoryNotGiftable   MessageID = "gift.not_giftable"
	MsgGiftStoryNotReadable   MessageID = "gift.not_readable"
)

// englishPlans is the part of the English catalogue for plans,
// subscriptions, the meter and gift links.
var englishPlans = map[MessageID]string{
	MsgPlanNameRequired:       "A plan needs a name.",
	MsgPlanNameTooLong:        "A plan's name can have at most %d characters.",
	MsgPlanDescriptionTooLong: "A plan's description can have at most %d characters.",
	MsgPlanTrialDaysInvalid:   "Trial days must be between 0 and %d.",
	MsgPlanMeterInvalid:       "Metered stories a month must be 0 or more, or unlimited.",
	MsgPlanGiftLinksInvalid:   "Gift links a month must be 0 or more.",
	MsgPlanFreeHasPrice:       "The Free plan cannot have a price.",
	MsgPlanIntervalInvalid:    "A price must be monthly or annual, not %q.",
	MsgPlanIntervalTwice:      "A plan can have only one %s price.",
	MsgPlanAmountInvalid:      "A price must be more than zero.",
	MsgPlanCurrencyInvalid:    "A currency is a three-letter code such as EUR or JPY, not %q.",
	MsgPlanCurrencyMixed:      "A plan's prices must all be in one currency.",
	MsgPlanNotFound:           "We could not find that plan.",
	MsgPlanNotForSale:         "This plan cannot be bought online at that billing interval.",
	MsgPlanStripePriceTaken:   "The Stripe price %s is already sold by another plan.",
	MsgPlanFreeArchive:        "The Free plan cannot be archived: every registered reader without a subscription is on it.",
	MsgSubscriptionNotFound:   "This account has no subscription.",
	MsgSubscriptionPaid:       "This account has a paid subscription; it cannot be replaced by a complimentary one.",
	MsgNotComplimentary:       "This account's subscription is not complimentary.",
	MsgCompUntilPast:          "A complimentary plan must end in the future.",
	MsgGiftLinkNotFound:       "This gift link is not valid.",
	MsgGiftLinkExpired:        "This gift link has expired.",
	MsgGiftLinksSpent:         "You have used all %d of this month's gift links. More become available on %s.",
	MsgGiftLinksNotIncluded:   "Your plan does not include gift links.",
	MsgGiftStoryNotGiftable:   "Free stories need no gift link: anyone can read them.",
	MsgGiftStoryNotReadable:   "Your plan does not include this story, so you cannot give it.",
}
