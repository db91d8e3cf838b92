"""The system Chromium driven by Playwright for Python (https://playwright.dev/python/); no browser
is ever downloaded."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator

from playwright.async_api import Browser, async_playwright

__all__ = ["find_chromium", "system_chromium"]


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable on PATH (Debian: /usr/bin/chromium), if any."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.asynccontextmanager
async def system_chromium(executable: str) -> AsyncIterator[Browser]:
    """Headless ``executable`` under Playwright, closed on exit."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            yield browser
        finally:
            await browser.close()
