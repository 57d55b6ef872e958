package schemas

// Required returns the names the schema's top-level "required" keyword lists, in its order: the
// columns every row must have. Conditional requirements (dependentRequired, if/then, required
// inside allOf or anyOf) are not among them.
func (s *RowSchema) Required() []string {
	doc, _ := s.doc.(map[string]any)
	list, _ := doc["required"].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if name, ok := v.(string); ok {
			out = append(out, name)
		}
	}
	return out
}
