"""The agenda's pages: the public listing, registrations, proposals, calendar files, programme, team pages."""
