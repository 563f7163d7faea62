"""Browser tests: pages in a headless Chromium, driven by Selenium (support.py)."""
