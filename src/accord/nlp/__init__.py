"""Stage 3, understand: spaCy plus accord's gazetteers."""
