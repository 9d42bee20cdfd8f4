"""The HTML of each page, escaped, in the plant's language."""
