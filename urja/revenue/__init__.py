"""Revenue protection: the inspection list, its scores and outcomes (issue 12)."""
