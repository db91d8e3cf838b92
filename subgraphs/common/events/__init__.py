"""Kafka event plumbing shared by every service: the topic registry, backoff and consumer runners."""
