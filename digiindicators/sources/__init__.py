"""Network clients. Only this package opens connections, and only ``refresh`` calls it."""
