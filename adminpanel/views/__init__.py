"""Staff dashboard pages, one module per page. Every view is staff-only."""
