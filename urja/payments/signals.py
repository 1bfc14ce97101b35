"""Signals of payments for the layers above (connections reacts to a payment of a disconnected or
noticed account). Sent after the posting's transaction commits."""

from django.dispatch import Signal

#: kwargs: payment_id, consumer_id
payment_posted = Signal()
