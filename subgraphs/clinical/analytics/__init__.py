"""Real-time analytics from the event stream: a consumer group over ``clinical.*``,
``billing.events`` and ``auth.events`` keeps daily counters in the clinical database (exactly
once per event id, rebuildable from the topics), served as ``analytics`` and ``analyticsToday``
to ADMIN and STAFF (scope ``analytics:read``).
"""
