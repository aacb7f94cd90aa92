package masthead

// CatalogueSize returns the number of English entries, for tests.
func CatalogueSize() int { return len(english) }

// CataloguePartsSize returns the number of entries across the English parts.
func CataloguePartsSize() int {
	n := 0
	for _, p := range englishParts {
		n += len(p)
	}
	return n
}
