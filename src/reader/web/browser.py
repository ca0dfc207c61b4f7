"""Open an article's original page in the user's browser, or say why not.

Over SSH no browser can open on the user's screen (``webbrowser`` would start
a text browser inside our terminal, or one on the remote machine), so the URL
is shown instead. Only http(s) URLs are ever handed to a browser.
"""

from __future__ import annotations

import os


def over_ssh(environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return bool(env.get("SSH_CONNECTION") or env.get("SSH_CLIENT") or env.get("SSH_TTY"))


def open_url(url: str, *, environ: dict[str, str] | None = None) -> tuple[bool, str]:
    """``(opened, message for the user)``."""
    if not url.lower().startswith(("http://", "https://")):
        return False, "This article has no web address (only pages added from the web have one)."
    if over_ssh(environ):
        return False, f"Over SSH no browser can open here; the address is {url}"
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False, f"No browser found; the address is {url}"
    if browser.__class__.__name__ in ("GenericBrowser", "BackgroundBrowser") and getattr(browser, "name", "") in (
        "www-browser", "lynx", "links", "elinks", "w3m",
    ):
        return False, f"Only a text browser is available; the address is {url}"
    try:
        opened = browser.open(url, new=2)
    except OSError:
        opened = False
    return (True, f"Opened {url} in the browser") if opened else (False, f"The browser did not open; the address is {url}")
