"""One scenario's world and vocabulary: its companies and personas, test data, step types, matchers, waiting."""
