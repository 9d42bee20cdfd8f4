"""What every lamp tower backend offers (GPIO relays or a PNS LAN tower)."""

from __future__ import annotations

from typing import Protocol

from hal.patterns import TowerState


class LampTower(Protocol):
    """A stack light with up to five tiers and a buzzer, shown as a whole."""

    @property
    def colours(self) -> tuple[str, ...]:
        """The tiers' colours, top first."""
        ...

    @property
    def state(self) -> TowerState:
        """The state last shown."""
        ...

    def show(self, state: TowerState) -> None:
        """Show ``state`` from now on (returns at once)."""
        ...

    def tick(self, now: float) -> None:
        """Advance flashing and buzzer patterns, retry a lost connection."""
        ...

    def close(self) -> None:
        """Switch everything off and release the hardware."""
        ...


def check_colours(state: TowerState, colours: tuple[str, ...]) -> None:
    """Raise ``ValueError`` when ``state`` lights a colour the tower does not have."""
    missing = sorted(set(state.lamps) - set(colours))
    if missing:
        raise ValueError(
            f"the tower has no {', '.join(missing)} tier (its tiers: {', '.join(colours)})"
        )
