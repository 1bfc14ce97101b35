"""A provider that records what it was given, for tests (selected through settings by dotted path)."""

from urja.notifications.providers import NotSent


class FakeProvider:
    name = "fake"
    sent: list[tuple[str, str, str]] = []  # (client_ref, to, body), across instances
    lookup_mode = "records"  # "records": knows what it got; "blind": cannot tell
    fail_next: list[NotSent] = []

    def send(self, message):
        if FakeProvider.fail_next:
            raise FakeProvider.fail_next.pop(0)
        FakeProvider.sent.append((message.client_ref, message.to, message.body))
        return f"P-{message.pk}"

    def lookup(self, client_ref):
        if FakeProvider.lookup_mode == "blind":
            return None
        return any(ref == client_ref for ref, _, _ in FakeProvider.sent)

    @classmethod
    def reset(cls):
        cls.sent, cls.lookup_mode, cls.fail_next = [], "records", []
