"""The exchange's pages, one module per aggregate: offers, conversations (and agreements, the statement),
reports (filing one, and the team's handling of them), team (figures and corrections)."""
