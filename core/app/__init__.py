"""The application layer: the service that runs one message in one transaction, and the ports it needs."""
