"""Static files copied into every handbook."""
