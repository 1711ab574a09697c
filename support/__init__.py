"""The harness between the feature files and the platform: scenario world, clients, business areas, stack, doubles, defects, runners, report, documentation."""
