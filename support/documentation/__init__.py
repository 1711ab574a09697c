"""The specification as documentation a product owner reads: every feature with its last result, the personas, the tags and the steps."""
