"""The station agent: HAL → domain → lamps → journal → MQTT, local first."""
