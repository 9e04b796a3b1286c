package model

// Detection: reading a list page from its URL alone. A page that
// advertises no feed is searched for its main list of entries; what was
// found is offered to the operator (discover, the console's add flow),
// previewed, and recorded with the source so later polls reuse it.

// ListCandidate is a list of entries detection found on a page, with the
// selectors that read it and what they read.
type ListCandidate struct {
	// Scrape holds the selectors that read the list: Items always, and
	// Title, Link or Date where one selector fits every item. A field left
	// empty is found item by item when the page is read (the item's main
	// link, its full title, its date wherever it is printed).
	Scrape Scrape `json:"scrape"`
	// Items is how many elements Scrape.Items matches on the page.
	Items int `json:"items"`
	// Samples are the first entries (at most three) as they read.
	Samples []ListSample `json:"samples"`
	// Dated is how many of the items detection read carry a date.
	Dated int `json:"dated"`
	// Score is how much the list looks like the page's list of entries
	// (dates, headlines, distinct links, its size and place); it compares
	// lists of one page, not pages.
	Score float64 `json:"score"`
}

// ListSample is one entry of a detected list as it reads.
type ListSample struct {
	Title string `json:"title"`
	Link  string `json:"link"`
	// Date is the item's date text as found ("" when it has none).
	Date string `json:"date,omitempty"`
}

// ListWarning is something about a list page an editor should look at
// before trusting what it reads: a selector matching too little, items
// sharing a link, dates missing or implausible. Code names it (the
// ListWarn constants); the console and the CLI word it in the reader's
// language from Code and the numbers.
type ListWarning struct {
	Code string `json:"code"`
	// Count of Total items are concerned (both 0 when it counts none).
	Count int `json:"count,omitempty"`
	Total int `json:"total,omitempty"`
	// Detail names what it is about: a selector as written ("span.date"),
	// a shared link, the implausible years ("1970, 2099").
	Detail string `json:"detail,omitempty"`
}

// Codes of ListWarning.
const (
	// ListWarnTitleNoMatch: scrape.title matched in Count of Total items
	// (Detail: the selector); the others fell back to their link text.
	ListWarnTitleNoMatch = "title_no_match"
	// ListWarnDateNoMatch: scrape.date matched in Count of Total items
	// (Detail: the selector).
	ListWarnDateNoMatch = "date_no_match"
	// ListWarnSameLink: Count of Total items share a link with another
	// item (Detail: one such link) and collapse into fewer entries.
	ListWarnSameLink = "same_link"
	// ListWarnOneItem: the list has a single item; a list page has more,
	// so the items selector likely picks the wrong element.
	ListWarnOneItem = "one_item"
	// ListWarnNoDates: none of the Total items has a date; entries are
	// dated when first seen.
	ListWarnNoDates = "no_dates"
	// ListWarnOddYears: Count of Total items have a year that looks wrong
	// (in the future, or long before the others; Detail: the years).
	ListWarnOddYears = "odd_years"
)
