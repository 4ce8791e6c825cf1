"""Reads for the exchange: where each direction stands."""

from dataclasses import dataclass

from dangwu.exchange.models import ExchangeLog


@dataclass(frozen=True)
class Standing:
    direction: str
    peer: str
    last: ExchangeLog


def exchange_standings() -> list[Standing]:
    """Return the last bundle sent to and received from each site this site has exchanged with."""
    standings = []
    pairs = ExchangeLog.objects.values_list("direction", "peer").distinct().order_by()
    for direction, peer in sorted(set(pairs)):
        last = (
            ExchangeLog.objects.filter(direction=direction, peer=peer).order_by("-sequence").first()
        )
        if last is not None:  # always found: the pair was read from the same log
            standings.append(Standing(direction=direction, peer=peer, last=last))
    return standings


def last_sequence(*, direction: str, peer: str) -> int:
    """Return the sequence number of the last bundle sent to / applied from ``peer`` (0: none)."""
    last = (
        ExchangeLog.objects.filter(direction=direction, peer=peer)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    return last or 0
