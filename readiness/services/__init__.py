"""The application layer: one transaction per use case, a Session argument, named errors."""
