"""User agent -> browser, OS, device type, bot flag, with the ua-parser library."""

import functools

import msgspec
import ua_parser

# Automation that announces itself in the user agent but that ua-parser files as a browser.
_AUTOMATION_BROWSERS = frozenset({"HeadlessChrome", "PhantomJS"})
_TABLET_MARKERS = ("iPad", "Tablet", "Kindle", "Silk", "PlayBook")
_MOBILE_OS = frozenset({"Android", "iOS", "Windows Phone", "BlackBerry OS", "KaiOS"})


class ParsedAgent(msgspec.Struct, frozen=True):
    browser: str | None
    browser_version: str | None
    os: str | None
    os_version: str | None
    device_type: str
    is_bot: bool


@functools.lru_cache(maxsize=4096)
def parse_user_agent(user_agent: str) -> ParsedAgent:
    """Visitors share few distinct user agents, so the cache answers almost every call."""
    result = ua_parser.parse(user_agent)
    agent, os, device = result.user_agent, result.os, result.device
    browser = agent.family if agent else None
    is_bot = (device is not None and device.family == "Spider") or browser in _AUTOMATION_BROWSERS
    return ParsedAgent(
        browser=browser,
        browser_version=_version(agent.major, agent.minor) if agent else None,
        os=os.family if os else None,
        os_version=_version(os.major, os.minor) if os else None,
        device_type=_device_type(user_agent, os.family if os else None, is_bot),
        is_bot=is_bot,
    )


def warm_up() -> None:
    """Builds ua-parser's resolver (a tenth of a second) at start, not in a first request."""
    ua_parser.parse("")


def _version(major: str | None, minor: str | None) -> str | None:
    if major is None:
        return None
    return f"{major}.{minor}" if minor is not None else major


def _device_type(user_agent: str, os_family: str | None, is_bot: bool) -> str:
    # ua-parser names devices (family, brand, model) but not their form factor.
    if is_bot:
        return "bot"
    if any(marker in user_agent for marker in _TABLET_MARKERS) or (
        os_family == "Android" and "Mobile" not in user_agent
    ):
        return "tablet"
    if os_family in _MOBILE_OS or "Mobile" in user_agent:
        return "mobile"
    if os_family is None:
        return "other"
    return "desktop"
