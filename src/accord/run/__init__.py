"""Engines that run the clean and code stages somewhere other than this
process; ``accord.pipeline.ingest`` stores and resolves what they hand back."""
