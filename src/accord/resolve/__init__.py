"""Stage 6, resolve: near-duplicate articles and stories across articles."""
