// Package masthead is the domain of Masthead, a self-hosted platform for a
// newspaper's reader side: stories, sections, authors and the rules that
// govern them.
//
// The package holds types, service interfaces, error codes and pure policy
// functions. It imports only the standard library (and golang.org/x/text for
// display names); storage, HTTP, mail and billing live in adapters under
// internal/ that depend on this package, never the other way round.
package masthead
