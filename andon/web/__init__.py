"""The web and phone view: one server, many viewers, calls handled from the phone."""
