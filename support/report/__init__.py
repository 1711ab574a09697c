"""The Allure report: labels from the feature folders, evidence attached by every step, the check of a finished run; the layout document."""
