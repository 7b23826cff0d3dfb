"""The agenda's forms: the activity's admin form, a resident's proposal, the centre team's forms on a date's page."""
