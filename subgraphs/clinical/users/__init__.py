"""The auth service's ``User`` entity, extended with the person linked to each account."""
