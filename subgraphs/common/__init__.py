"""The shared kernel: settings, database, outbox, request context, errors and health."""
