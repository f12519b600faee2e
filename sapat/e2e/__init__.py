"""End-to-end tests: the real pages, served by a live Django server, driven in headless Chromium."""
