package runtime

// Search: a case-insensitive substring match over every text field of a
// model at once, as encode/orm's search() does, for a search box.

// Search returns the query narrowed to the rows where some text field of
// the model (String, Text, Email, URL; not an Enum, and not a relation's
// key) contains term, ignoring case: the icontains lookup of each field,
// OR'ed, with its escaping (% and _ in term are literal) and case
// folding. A field that is NULL matches nothing. An empty term matches
// every row; on a model without text fields, any other term matches none.
func (q query) Search(term string) query {
	if term == "" {
		return q
	}
	var terms []cond
	for _, c := range q.t.Columns {
		if isSearched(c) {
			terms = append(terms, cmpPred{ref: ColRef{Col: c, t: q.t}, op: OpIContains, val: term})
		}
	}
	return q.Filter(newBool(true, terms))
}

// isSearched reports whether Search reads column c: a text field of the
// model's own.
func isSearched(c *Column) bool {
	return (c.Kind == KindString || c.Kind == KindText) && len(c.Values) == 0 && c.Ref == nil
}
