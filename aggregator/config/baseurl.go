package config

// BaseURLFromListen reports whether BaseURL is the default derived from
// Listen rather than a value of its own (or one equal to it): a change of
// listen then changes base_url too, and only listen is worth naming.
func (c *Config) BaseURLFromListen() bool {
	return c.BaseURL == defaultBaseURL(c.Listen)
}
