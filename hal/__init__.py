"""Hardware abstraction: the only code that touches pins, serial ports and towers."""
