// Package xsstest holds the XSS corpus and the tools the security tests
// share: the OWASP filter-evasion vectors, their adaptation into payloads
// whose execution is observable (a canary request, a retitled page, a
// marker element), source feeds that carry them in every field, and a
// checker for script-capable markup.
//
// Only tests import it.
package xsstest
