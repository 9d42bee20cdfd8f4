"""Configuration: TOML files validated into typed models."""
