"""Ways to run the specification: N behave processes against one stack, and the planted-defect audit."""
