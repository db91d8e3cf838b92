"""Live subscriptions fed from Kafka: appointment and medical record changes, with replay."""
