package masthead

// CatalogueSize returns the number of distinct English message IDs.
func CatalogueSize() int {
	ids := map[MessageID]bool{}
	for _, p := range englishParts {
		for id := range p {
			ids[id] = true
		}
	}
	return len(ids)
}

// CataloguePartsSize returns the number of entries across the English parts.
func CataloguePartsSize() int {
	n := 0
	for _, p := range englishParts {
		n += len(p)
	}
	return n
}
