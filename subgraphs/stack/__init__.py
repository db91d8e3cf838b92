"""Running the whole stack: embedded PostgreSQL, Kafka-compatible broker and Redis, and the services."""
