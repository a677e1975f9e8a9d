"""What pages share: panels, paging, formatting, form widgets, request inputs, posted searches."""
