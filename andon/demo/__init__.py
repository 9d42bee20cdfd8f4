"""The demo: an embedded broker, simulated stations with simulated operators, and the board."""
