"""Follow-ups (advisers' to-do items on cases) and, later, the reminder rules that make them."""
