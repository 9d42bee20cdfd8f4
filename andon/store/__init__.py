"""The material-call board at the store: plate lamps, beacon, buzzer and the kanban scanner."""
