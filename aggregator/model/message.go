package model

// Message codes: what went wrong, named rather than worded, so that a
// console can tell an editor in the editor's language. The English text
// stays beside each code (Preview.Error, Discovery.Reason,
// RequestError.Msg) for the API, the CLI and logs; the code and its
// arguments (positional, as text) are what a catalog words:
// Preview.ErrorCode/ErrorArgs, Discovery.ReasonCode/ReasonArgs,
// PreviewSkip.Code, RequestError.Key/Args. A code a catalog does not
// know is shown as a generic sentence with the English text.

// Codes of a URL that could not be read (fetch), with their arguments.
const (
	MsgHTTPNotFound     = "http_not_found"     // 404: [status code]
	MsgHTTPGone         = "http_gone"          // 410: [status code]
	MsgHTTPForbidden    = "http_forbidden"     // 401, 403: [status code]
	MsgHTTPTooMany      = "http_too_many"      // 429: [status code]
	MsgHTTPServer       = "http_server"        // 5xx: [status code]
	MsgHTTPStatus       = "http_status"        // any other: [status code, status text]
	MsgTimeout          = "timeout"            // no answer in time
	MsgConnRefused      = "connection_refused" // nothing listens
	MsgConnReset        = "connection_reset"   // the server hung up
	MsgTLS              = "tls_error"          // certificate or handshake
	MsgDNS              = "dns_error"          // [host]
	MsgForbiddenAddress = "forbidden_address"  // [address, kind: "private", "loopback", …]
	MsgRedirect         = "redirect_error"     // a loop or too many hops
	MsgBodyTooLarge     = "body_too_large"     // [limit in bytes]
	MsgHTMLTooLarge     = "html_too_large"     // [limit in bytes]
	MsgBadURL           = "bad_url"            // the URL does not parse
	MsgCancelled        = "cancelled"          // the request was abandoned
	MsgFetchFailed      = "fetch_failed"       // none of the above
)

// Codes of a document that was read but gave nothing (parse).
const (
	MsgNoFeed          = "no_feed"          // an HTML page advertising no feed
	MsgNotFeed         = "not_a_feed"       // [what it looks like]
	MsgFeedSyntax      = "feed_syntax"      // [the parser's words]
	MsgNoItems         = "no_items"         // scrape.items matched nothing
	MsgNoList          = "no_list"          // detection found no list of entries
	MsgNoFeedLists     = "no_feed_lists"    // [how many]: no feed advertised, lists of entries found
	MsgSeveralLists    = "several_lists"    // [how many]: comparable lists, none chosen
	MsgSelectorInvalid = "selector_invalid" // [the parser's words]
	MsgSelectorStopped = "selector_stopped" // a selector ran out of time
	MsgSourceFilter    = "source_filter"    // [the filter's words]
	MsgReadFailed      = "read_failed"      // any other failure
)

// Codes of an item of a list page or feed that gave no entry
// (PreviewSkip.Code).
const (
	MsgSkipMatched = "skip_matched" // matches the source's skip selector
	MsgSkipNoLink  = "skip_no_link" // no usable link
	// MsgSkipScriptLink: its only links are javascript: or "#".
	MsgSkipScriptLink = "skip_script_link"
	MsgSkipFiltered   = "skip_filtered"
	MsgSkipCut        = "skip_page_cut" // the page was cut before it
)

// Keys of refused admin requests (RequestError.Key), with their
// arguments.
const (
	KeyURLRequired     = "url_required"
	KeyURLTooLong      = "url_too_long"      // [limit in bytes]
	KeyURLInvalid      = "url_invalid"       // [why]
	KeyURLPrivate      = "url_private"       // [host, address, kind]
	KeyURLForbidden    = "url_forbidden"     // [why]: refused at connect
	KeyURLNoFeed       = "url_no_feed"       // a page without a feed or a list, added without selectors
	KeyURLSeveralLists = "url_lists"         // a page without a feed whose lists are too alike to choose from
	KeyIDInvalid       = "id_invalid"        // [why]
	KeyIDTaken         = "id_taken"          // [id, origin, its URL]
	KeyIDAdded         = "id_added"          // [id]: added meanwhile
	KeySourceExists    = "source_exists"     // [URL, id, origin]
	KeyTitleInvalid    = "title_invalid"     // not UTF-8 or control characters
	KeyTitleTooLong    = "title_too_long"    // [limit in characters]
	KeySectionsNone    = "sections_none"     // no section chosen
	KeySectionsTooMany = "sections_too_many" // [limit]
	KeySectionUnknown  = "section_unknown"   // [id]
	KeyScheduleInvalid = "schedule_invalid"  // [why]
	KeyTimezoneInvalid = "timezone_invalid"  // [why]
	KeyStaleAfter      = "stale_after_bad"   // [value]
	KeySelectorInvalid = "selector_bad"      // [why]
	KeyDateAttrInvalid = "date_attr_invalid" // [attribute]
	KeyRemoveTooMany   = "remove_too_many"   // [limit]
	KeyMaxPerPollLow   = "max_per_poll_low"  // [default]
	KeyMaxPerPollForm  = "max_per_poll_form" // [value typed]
	KeyFiltersTooMany  = "filters_too_many"  // [limit]
	KeyFilterInvalid   = "filter_invalid"    // [why]
	KeyClearAndSet     = "clear_and_set"     // [block]
	KeyNothingChanged  = "nothing_changed"
	KeyConfigRemove    = "config_remove"      // [id, file:line]: remove it from the file
	KeyConfigEdit      = "config_edit"        // [id, fields, file:line]: edit it in the file
	KeyConfigSection   = "config_section"     // [id, section, file:line]
	KeySourceNotFound  = "source_not_found"   // [id]
	KeySectionNotFound = "section_not_found"  // [id]
	KeySourcePaused    = "source_paused"      // [id]
	KeySessionNotFound = "session_not_found"  // expired or signed out
	KeyActionUnknown   = "action_unknown"     // [action]
	KeyEntryInvalid    = "entry_invalid"      // [id]
	KeyUntilNotPin     = "until_not_pin"      // an expiry on something other than a pin
	KeyUntilPast       = "until_past"         // [time]
	KeyEntryNotIn      = "entry_not_in"       // [entry, section]
	KeyEntryHidden     = "entry_hidden"       // [entry, section]
	KeyPinsFull        = "pins_full"          // [section, limit]
	KeyHiddenFull      = "hidden_full"        // [section, limit]
	KeyPinTimeInvalid  = "pin_time_invalid"   // [value typed]
	KeyPinExpiry       = "pin_expiry_unknown" // [value]
)
