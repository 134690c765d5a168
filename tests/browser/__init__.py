"""Browser tests: Playwright driving Debian's Chromium against a live server."""

# One patience for every page action, expect() and download: the suite runs on every core, and a
# loaded two-core machine takes seconds to render a Chinese PDF. Waits still end as soon as the
# condition holds, so a generous limit costs nothing when all is well.
TIMEOUT_MS = 45_000
