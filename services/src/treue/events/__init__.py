"""The CloudEvents envelope and the versioned event contracts shared by all services."""

from treue.events.contracts import EventContract, contract_for, event_type_of
from treue.events.envelope import CloudEvent, MalformedEvent

__all__ = ["CloudEvent", "EventContract", "MalformedEvent", "contract_for", "event_type_of"]
