"""Aggregation as a tree: instruments of any shape (format 2) and the engine that scores them."""
