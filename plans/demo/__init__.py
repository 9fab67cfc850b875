"""Demo: the demonstration data load_demo builds, through the services like any other writer."""
