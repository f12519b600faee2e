"""Quality policy (versioned) and quality objectives cascaded down the unit tree."""
